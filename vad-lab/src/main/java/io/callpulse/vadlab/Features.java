package io.callpulse.vadlab;

import io.callpulse.udf.vad.VadFeatures;
import java.io.IOException;

/** Model inputs and targets of whole files, through the detector's own feature code. */
final class Features {

    static final int FRAME = 160;

    /** Inputs (frames x INPUTS, row-major) and soft targets (0, 0.5, 1) of 20 ms frames. */
    record Sequence(
            Corpus.Item item, int frames, float[] inputs, float[] targets, boolean[] labels) {}

    private Features() {}

    static Sequence extract(Corpus.Item item, double gainDb) throws IOException {
        Wav wav = Wav.read(item.wav());
        if (wav.rate() != 8000) {
            throw new IOException(item.wav() + ": expected 8 kHz, found " + wav.rate());
        }
        return extract(item, wav.samples(), gainDb);
    }

    /**
     * A new mixture for training: the clean rendering of a noisy file plus its noise (noisy minus
     * clean) scaled by noiseDb, all at gainDb; labelled as the clean file.
     */
    static Sequence remix(Corpus.Item noisy, Corpus.Item clean, double noiseDb, double gainDb)
            throws IOException {
        short[] n = Wav.read(noisy.wav()).samples();
        short[] c = Wav.read(clean.wav()).samples();
        int len = Math.min(n.length, c.length);
        double g = Math.pow(10, noiseDb / 20);
        short[] mix = new short[len];
        for (int i = 0; i < len; i++) {
            double v = c[i] + g * (n[i] - c[i]);
            mix[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return extract(clean, mix, gainDb);
    }

    static Sequence extract(Corpus.Item item, short[] samples, double gainDb) throws IOException {
        if (gainDb != 0) {
            double g = Math.pow(10, gainDb / 20);
            short[] scaled = new short[samples.length];
            for (int i = 0; i < samples.length; i++) {
                scaled[i] = (short) Math.max(-32768, Math.min(32767, Math.round(samples[i] * g)));
            }
            samples = scaled;
        }
        boolean[] labels = Corpus.labels(item.labels());
        int frames = samples.length / FRAME;
        float[] inputs = new float[frames * VadFeatures.INPUTS];
        float[] targets = new float[frames];
        float[] state = new float[VadFeatures.STATE_SIZE];
        float[] row = new float[VadFeatures.INPUTS];
        for (int f = 0; f < frames; f++) {
            VadFeatures.compute(state, 0, samples, f * FRAME, FRAME, 8000, row);
            System.arraycopy(row, 0, inputs, f * VadFeatures.INPUTS, VadFeatures.INPUTS);
            float t = 0;
            for (int j = 2 * f; j < 2 * f + 2; j++) {
                if (j < labels.length && labels[j]) {
                    t += 0.5f;
                }
            }
            targets[f] = t;
        }
        return new Sequence(item, frames, inputs, targets, labels);
    }
}
