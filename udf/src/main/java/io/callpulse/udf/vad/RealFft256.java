package io.callpulse.udf.vad;

/**
 * A 256-point real FFT, computed as a 128-point complex radix-2 FFT of the even and odd samples and
 * one split step. Tables are built once; {@link #transform} works in caller-provided buffers and
 * allocates nothing.
 */
final class RealFft256 {

    static final int N = 256;
    static final int HALF = N / 2;
    static final int BINS = HALF + 1;

    private static final int[] BIT_REVERSE = new int[HALF];
    private static final double[] COS_HALF = new double[HALF / 2];
    private static final double[] SIN_HALF = new double[HALF / 2];
    private static final double[] COS_N = new double[HALF];
    private static final double[] SIN_N = new double[HALF];

    static {
        int bits = Integer.numberOfTrailingZeros(HALF);
        for (int i = 0; i < HALF; i++) {
            BIT_REVERSE[i] = Integer.reverse(i) >>> (32 - bits);
        }
        for (int k = 0; k < HALF / 2; k++) {
            COS_HALF[k] = Math.cos(2 * Math.PI * k / HALF);
            SIN_HALF[k] = -Math.sin(2 * Math.PI * k / HALF);
        }
        for (int k = 0; k < HALF; k++) {
            COS_N[k] = Math.cos(2 * Math.PI * k / N);
            SIN_N[k] = -Math.sin(2 * Math.PI * k / N);
        }
    }

    private RealFft256() {}

    /**
     * The transform of a real sequence {@code x[0..255]}: real parts into {@code re[0..128]},
     * imaginary parts into {@code im[0..128]}. {@code zr} and {@code zi} are scratch of length 128.
     */
    static void transform(double[] x, double[] re, double[] im, double[] zr, double[] zi) {
        for (int n = 0; n < HALF; n++) {
            int r = BIT_REVERSE[n];
            zr[r] = x[2 * n];
            zi[r] = x[2 * n + 1];
        }
        for (int size = 2; size <= HALF; size <<= 1) {
            int half = size >> 1;
            int step = HALF / size;
            for (int start = 0; start < HALF; start += size) {
                for (int j = 0; j < half; j++) {
                    double wr = COS_HALF[j * step];
                    double wi = SIN_HALF[j * step];
                    int a = start + j;
                    int b = a + half;
                    double tr = zr[b] * wr - zi[b] * wi;
                    double ti = zr[b] * wi + zi[b] * wr;
                    zr[b] = zr[a] - tr;
                    zi[b] = zi[a] - ti;
                    zr[a] += tr;
                    zi[a] += ti;
                }
            }
        }
        re[0] = zr[0] + zi[0];
        im[0] = 0;
        re[HALF] = zr[0] - zi[0];
        im[HALF] = 0;
        for (int k = 1; k < HALF; k++) {
            double ar = zr[k];
            double ai = zi[k];
            double br = zr[HALF - k];
            double bi = -zi[HALF - k];
            // even part E = (a + conj b) / 2, odd part O = (a - conj b) / (2i)
            double er = 0.5 * (ar + br);
            double ei = 0.5 * (ai + bi);
            double or = 0.5 * (ai - bi);
            double oi = -0.5 * (ar - br);
            double wr = COS_N[k];
            double wi = SIN_N[k];
            re[k] = er + or * wr - oi * wi;
            im[k] = ei + or * wi + oi * wr;
        }
    }
}
