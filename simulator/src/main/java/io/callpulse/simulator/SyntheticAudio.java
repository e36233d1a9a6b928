package io.callpulse.simulator;

import io.callpulse.udf.level.Levels;
import java.util.Arrays;

/**
 * Builds test and demo audio of exactly known content: tones at a known RMS level and digital
 * silence, one after the other.
 */
public final class SyntheticAudio {

    private final int sampleRate;
    private short[] samples = new short[0];
    private int length;

    private SyntheticAudio(int sampleRate) {
        this.sampleRate = sampleRate;
    }

    public static SyntheticAudio at(int sampleRate) {
        return new SyntheticAudio(sampleRate);
    }

    /** A sine of the given frequency whose RMS level is {@code dbfs}, starting at phase 0. */
    public SyntheticAudio tone(double frequencyHz, double dbfs, long durationMs) {
        double amplitude = Levels.sineAmplitudeForDbfs(dbfs);
        int n = samplesFor(durationMs);
        ensure(n);
        for (int i = 0; i < n; i++) {
            double value = amplitude * Math.sin(2 * Math.PI * frequencyHz * i / sampleRate);
            samples[length + i] = (short) Math.max(-32768, Math.min(32767, Math.round(value)));
        }
        length += n;
        return this;
    }

    /**
     * A speech-like signal whose RMS level over the segment is {@code dbfs}: a harmonic complex
     * (fundamental {@code f0Hz} with a slow 5 % vibrato, every harmonic below 3.4 kHz or 0.45 of
     * the rate, amplitude 1/k) whose amplitude is modulated at a syllable rate of 4 Hz (a raised
     * cosine, so it dips to zero four times a second, as syllables do). Deterministic.
     */
    public SyntheticAudio speech(double f0Hz, double dbfs, long durationMs) {
        int n = samplesFor(durationMs);
        ensure(n);
        double maxHarmonicHz = Math.min(3400, 0.45 * sampleRate);
        int harmonics = Math.max(1, (int) (maxHarmonicHz / (f0Hz * 1.05)));
        // one period of the harmonic complex, read at the (vibrato) phase: sin() once per entry
        int size = 4096;
        double[] period = new double[size + 1];
        for (int j = 0; j <= size; j++) {
            for (int k = 1; k <= harmonics; k++) {
                period[j] += Math.sin(2 * Math.PI * k * j / size) / k;
            }
        }
        double[] raw = new double[n];
        double phase = 0; // in periods
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / sampleRate;
            double f0 = f0Hz * (1 + 0.05 * Math.sin(2 * Math.PI * 0.7 * t));
            phase += f0 / sampleRate;
            phase -= Math.floor(phase);
            double position = phase * size;
            int j = (int) position;
            double value = period[j] + (period[j + 1] - period[j]) * (position - j);
            double syllable = 0.5 * (1 - Math.cos(2 * Math.PI * 4 * t));
            raw[i] = value * syllable;
            sumSquares += raw[i] * raw[i];
        }
        double rms = Math.sqrt(sumSquares / Math.max(1, n));
        double target = Levels.FULL_SCALE * Math.pow(10, dbfs / 20);
        double gain = rms == 0 ? 0 : target / rms;
        for (int i = 0; i < n; i++) {
            samples[length + i] =
                    (short) Math.max(-32768, Math.min(32767, Math.round(raw[i] * gain)));
        }
        length += n;
        return this;
    }

    /** Appends samples as they are (e.g. read from a file). */
    public SyntheticAudio samples(short[] more) {
        ensure(more.length);
        System.arraycopy(more, 0, samples, length, more.length);
        length += more.length;
        return this;
    }

    /** Milliseconds of audio built so far. */
    public long durationMs() {
        return (long) length * 1000 / sampleRate;
    }

    /** Digital silence (all samples zero). */
    public SyntheticAudio silence(long durationMs) {
        int n = samplesFor(durationMs);
        ensure(n);
        length += n; // new array space is already zero
        return this;
    }

    public short[] build() {
        return Arrays.copyOf(samples, length);
    }

    private int samplesFor(long durationMs) {
        return (int) (durationMs * sampleRate / 1000);
    }

    private void ensure(int more) {
        if (length + more > samples.length) {
            samples = Arrays.copyOf(samples, Math.max(length + more, samples.length * 2));
        }
    }
}
