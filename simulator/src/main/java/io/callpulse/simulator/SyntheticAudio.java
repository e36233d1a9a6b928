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
