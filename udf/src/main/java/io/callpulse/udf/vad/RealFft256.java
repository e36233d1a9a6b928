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

    private static final int[] BIT_REVERSE_64 = new int[64];
    private static final double[] COS_128 = new double[64];
    private static final double[] SIN_128 = new double[64];

    static {
        for (int i = 0; i < 64; i++) {
            BIT_REVERSE_64[i] = Integer.reverse(i) >>> (32 - 6);
            COS_128[i] = Math.cos(2 * Math.PI * i / 128);
            SIN_128[i] = -Math.sin(2 * Math.PI * i / 128);
        }
    }

    private RealFft256() {}

    /**
     * In-place radix-2 decimation-in-time butterflies over bit-reversed input of length m. The
     * tables hold cos and -sin of 2 pi k / L for k < L / 2, with L = 2 * cos.length a multiple of
     * m.
     */
    private static void butterflies(double[] zr, double[] zi, int m, double[] cos, double[] sin) {
        // size 2: twiddle 1
        for (int a = 0; a < m; a += 2) {
            double tr = zr[a + 1];
            double ti = zi[a + 1];
            zr[a + 1] = zr[a] - tr;
            zi[a + 1] = zi[a] - ti;
            zr[a] += tr;
            zi[a] += ti;
        }
        int tableStep = cos.length * 2 / m; // 1 for the half-size tables of length m / 2
        for (int size = 4; size <= m; size <<= 1) {
            int half = size >> 1;
            int step = (m / size) * tableStep;
            for (int j = 0; j < half; j++) {
                double wr = cos[j * step];
                double wi = sin[j * step];
                for (int a = j; a < m; a += size) {
                    int b = a + half;
                    double br = zr[b];
                    double bi = zi[b];
                    double tr = br * wr - bi * wi;
                    double ti = br * wi + bi * wr;
                    double ar = zr[a];
                    double ai = zi[a];
                    zr[b] = ar - tr;
                    zi[b] = ai - ti;
                    zr[a] = ar + tr;
                    zi[a] = ai + ti;
                }
            }
        }
    }

    /**
     * The real part of the 128-point transform of a real even sequence {@code q[0..127]} (so {@code
     * q[128 - k] == q[k]}), into {@code re[0..64]}; {@code zr}, {@code zi} are scratch of length 64
     * or more.
     */
    static void evenTransform128(double[] q, double[] re, double[] zr, double[] zi) {
        for (int n = 0; n < 64; n++) {
            int r = BIT_REVERSE_64[n];
            zr[r] = q[2 * n];
            zi[r] = q[2 * n + 1];
        }
        butterflies(zr, zi, 64, COS_128, SIN_128);
        re[0] = zr[0] + zi[0];
        re[64] = zr[0] - zi[0];
        for (int k = 1; k < 64; k++) {
            double ar = zr[k];
            double ai = zi[k];
            double br = zr[64 - k];
            double bi = -zi[64 - k];
            double er = 0.5 * (ar + br);
            double or = 0.5 * (ai - bi);
            double oi = -0.5 * (ar - br);
            re[k] = er + or * COS_128[k] - oi * SIN_128[k];
        }
    }

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
        butterflies(zr, zi, HALF, COS_HALF, SIN_HALF);
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
