package io.callpulse.simulator;

/**
 * Converts audio between sample rates, simply: when going down, each output sample is first the
 * mean of the input samples it covers (a box filter, which takes the worst of the aliasing out);
 * then output sample {@code i} is read at input position {@code i * from / to} by linear
 * interpolation between the two nearest input samples. Good enough for load and level tests; not
 * for listening tests.
 */
public final class Resampler {

    private Resampler() {}

    public static short[] resample(short[] in, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("rates must be positive");
        }
        if (fromRate == toRate) {
            return in.clone();
        }
        double[] source = new double[in.length];
        int box = fromRate > toRate ? (int) Math.round((double) fromRate / toRate) : 1;
        for (int i = 0; i < in.length; i++) {
            if (box == 1) {
                source[i] = in[i];
            } else {
                // centred box of `box` samples, shortened at the edges
                int from = Math.max(0, i - (box - 1) / 2);
                int to = Math.min(in.length, from + box);
                double sum = 0;
                for (int j = from; j < to; j++) {
                    sum += in[j];
                }
                source[i] = sum / (to - from);
            }
        }
        int n = (int) ((long) in.length * toRate / fromRate);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double position = (double) i * fromRate / toRate;
            int left = (int) position;
            double fraction = position - left;
            double a = source[left];
            double b = left + 1 < source.length ? source[left + 1] : a;
            long value = Math.round(a + (b - a) * fraction);
            out[i] = (short) Math.max(-32768, Math.min(32767, value));
        }
        return out;
    }
}
