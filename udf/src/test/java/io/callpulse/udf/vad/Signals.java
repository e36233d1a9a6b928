package io.callpulse.udf.vad;

import io.callpulse.udf.level.Levels;
import java.util.Random;

/** Synthetic test signals with exactly known levels, built frame by frame. */
final class Signals {

    static final int RATE = 8000;
    static final int FRAME = RATE / 50;

    private final short[] samples;
    private int length;
    private final Random random = new Random(42);

    Signals(int seconds) {
        samples = new short[seconds * RATE];
    }

    /** Gaussian noise at an RMS level of {@code dbfs}, plus an optional 300 Hz tone. */
    Signals add(int frames, double noiseDbfs, double toneDbfs) {
        double noiseRms = Levels.FULL_SCALE * Math.pow(10, noiseDbfs / 20);
        double toneAmplitude = Double.isNaN(toneDbfs) ? 0 : Levels.sineAmplitudeForDbfs(toneDbfs);
        for (int i = 0; i < frames * FRAME; i++) {
            double value =
                    random.nextGaussian() * noiseRms
                            + toneAmplitude * Math.sin(2 * Math.PI * 300 * length / RATE);
            samples[length++] = (short) Math.max(-32768, Math.min(32767, Math.round(value)));
        }
        return this;
    }

    Signals noise(int frames, double dbfs) {
        return add(frames, dbfs, Double.NaN);
    }

    /** Per-frame decisions of the detector over the whole signal. */
    boolean[] decide(VoiceActivityDetector detector) {
        float[] state = detector.newState();
        boolean[] speech = new boolean[length / FRAME];
        for (int f = 0; f < speech.length; f++) {
            speech[f] = detector.isSpeech(state, samples, f * FRAME, FRAME, RATE);
        }
        return speech;
    }

    /** Frames [from, to) set, for expected decisions. */
    static boolean[] speechAt(int frames, int... fromToPairs) {
        boolean[] expected = new boolean[frames];
        for (int i = 0; i < fromToPairs.length; i += 2) {
            for (int f = fromToPairs[i]; f < fromToPairs[i + 1]; f++) {
                expected[f] = true;
            }
        }
        return expected;
    }
}
