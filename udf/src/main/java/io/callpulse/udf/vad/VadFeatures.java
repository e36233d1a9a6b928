package io.callpulse.udf.vad;

/**
 * The frame features of {@link LearnedVad}: sub-band log energies over 300-3400 Hz, each against an
 * adaptive per-band noise floor, plus level, noise level, band flatness, harmonicity (normalised
 * autocorrelation peak over 83-400 Hz pitch lags, below 2 kHz), zero-crossing rate, spectral
 * centroid and tilt; then context: the two previous frames' features and two running means (about
 * 100 ms and 400 ms).
 *
 * <p>A frame is analysed at 8 kHz (16 kHz input is decimated by two), up to 256 samples, zero
 * padded to a 256-point FFT. The track's memory lives in a slice of the caller's state array; the
 * work buffers are per thread, so the hot path allocates nothing.
 */
public final class VadFeatures {

    /** Band edges in Hz; 31.25 Hz FFT bins at 8 kHz. */
    static final double[] BAND_EDGES_HZ = {
        300, 420, 560, 720, 900, 1100, 1330, 1600, 1900, 2250, 2650, 3100, 3400
    };

    public static final int BANDS = BAND_EDGES_HZ.length - 1;

    /** Features of one frame. */
    public static final int BASE = BANDS + 11;

    /** Model inputs: the frame, the two before it, a fast and a slow running mean. */
    public static final int INPUTS = BASE * 5;

    /** Identifies this feature set in the weights file, so stale weights are refused. */
    static final String FEATURE_SET = "sbe12-harm2k-pitch-ctx2-ema2-v4";

    /** {@link #FEATURE_SET}, read at run time (a constant would be compiled into callers). */
    public static String featureSet() {
        return FEATURE_SET;
    }

    /** The noise floor rises at most this much per frame (dB), and falls at once. */
    static final float FLOOR_RISE_DB = 0.05f;

    /** The floors start no higher than this total level, spread over the bands by width. */
    static final double INITIAL_FLOOR_DBFS = -50.0;

    static final float EMA_FAST = 0.2f;
    static final float EMA_SLOW = 0.05f;

    /** Lags of the pitch search at 8 kHz: 400 Hz down to 83 Hz. */
    static final int MIN_LAG = 20;

    static final int MAX_LAG = 96;

    private static final int[] BAND_BINS = new int[BAND_EDGES_HZ.length];
    private static final float[] INITIAL_FLOOR = new float[BANDS + 1];
    private static final int LOW_BANDS = 4; // 300-900 Hz
    private static final double[] BAND_WIDTH_DB = new double[BANDS];
    private static final double ALL_BANDS_WIDTH_DB;

    static {
        for (int i = 0; i < BAND_EDGES_HZ.length; i++) {
            BAND_BINS[i] = (int) Math.round(BAND_EDGES_HZ[i] / (8000.0 / RealFft256.N));
        }
        int total = BAND_BINS[BANDS] - BAND_BINS[0];
        for (int b = 0; b < BANDS; b++) {
            INITIAL_FLOOR[b] =
                    (float)
                            (INITIAL_FLOOR_DBFS
                                    + 10
                                            * Math.log10(
                                                    (BAND_BINS[b + 1] - BAND_BINS[b])
                                                            / (double) total));
        }
        INITIAL_FLOOR[BANDS] = (float) INITIAL_FLOOR_DBFS;
        for (int b = 0; b < BANDS; b++) {
            BAND_WIDTH_DB[b] = 10 * Math.log10(BAND_BINS[b + 1] - BAND_BINS[b]);
        }
        ALL_BANDS_WIDTH_DB = 10 * Math.log10(total);
    }

    // state layout, relative to the slice start
    private static final int STARTED = 0;
    private static final int LAST_SAMPLE = 1;
    private static final int SMOOTHED = 2; // BANDS + 1 smoothed levels (dB)
    private static final int FLOOR = SMOOTHED + BANDS + 1; // BANDS + 1 floors (dB)
    private static final int PREV1 = FLOOR + BANDS + 1;
    private static final int PREV2 = PREV1 + BASE;
    private static final int FAST = PREV2 + BASE;
    private static final int SLOW = FAST + BASE;

    /** Floats of track state the features use. */
    public static final int STATE_SIZE = SLOW + BASE;

    private static final double EPS = 1e-13; // -130 dBFS
    private static final double TEN_OVER_LN10 = 10 / Math.log(10);

    /** Per-thread work buffers. */
    static final class Scratch {
        final double[] x = new double[RealFft256.N];
        final double[] re = new double[RealFft256.BINS];
        final double[] im = new double[RealFft256.BINS];
        final double[] zr = new double[RealFft256.HALF];
        final double[] zi = new double[RealFft256.HALF];
        final double[] power = new double[RealFft256.BINS];
        final double[] even = new double[128];
        final double[] bandLevel = new double[BANDS + 1];
        final float[] base = new float[BASE];
        final float[] inputs = new float[INPUTS];
        final float[] hidden = new float[256];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private VadFeatures() {}

    static Scratch scratch() {
        return SCRATCH.get();
    }

    /**
     * Computes the model inputs of one frame into {@code out[0..INPUTS)} and updates the track's
     * state in {@code state[at..at+STATE_SIZE)}.
     */
    public static void compute(
            float[] state, int at, short[] samples, int offset, int length, int rate, float[] out) {
        compute(state, at, samples, offset, length, rate, out, SCRATCH.get());
    }

    static void compute(
            float[] state,
            int at,
            short[] samples,
            int offset,
            int length,
            int rate,
            float[] out,
            Scratch s) {
        float[] f = s.base;
        frame(state, at, samples, offset, length, rate, f, s);
        boolean started = state[at + STARTED] != 0;
        if (!started) {
            for (int i = 0; i < BASE; i++) {
                state[at + PREV1 + i] = f[i];
                state[at + PREV2 + i] = f[i];
                state[at + FAST + i] = f[i];
                state[at + SLOW + i] = f[i];
            }
            state[at + STARTED] = 1;
        }
        for (int i = 0; i < BASE; i++) {
            float prev1 = state[at + PREV1 + i];
            float fast = state[at + FAST + i] + EMA_FAST * (f[i] - state[at + FAST + i]);
            float slow = state[at + SLOW + i] + EMA_SLOW * (f[i] - state[at + SLOW + i]);
            out[i] = f[i];
            out[BASE + i] = prev1;
            out[2 * BASE + i] = state[at + PREV2 + i];
            out[3 * BASE + i] = fast;
            out[4 * BASE + i] = slow;
            state[at + PREV2 + i] = prev1;
            state[at + PREV1 + i] = f[i];
            state[at + FAST + i] = fast;
            state[at + SLOW + i] = slow;
        }
    }

    /** The features of one frame into {@code f[0..BASE)}; updates the noise floors. */
    static void frame(
            float[] state,
            int at,
            short[] samples,
            int offset,
            int length,
            int rate,
            float[] f,
            Scratch s) {
        double[] x = s.x;
        int n = load(state, at, samples, offset, length, rate, x);
        // zero crossings without branches: the sign bits differ (x is never -0.0)
        long crossings = 0;
        long previousBits = Double.doubleToRawLongBits(x[0]);
        for (int i = 1; i < n; i++) {
            long bits = Double.doubleToRawLongBits(x[i]);
            crossings += (bits ^ previousBits) >>> 63;
            previousBits = bits;
        }
        double[] re = s.re;
        double[] im = s.im;
        double[] power = s.power;
        RealFft256.transform(x, re, im, s.zr, s.zi);
        for (int k = 0; k < RealFft256.BINS; k++) {
            power[k] = re[k] * re[k] + im[k] * im[k];
        }
        // band mean squares (one-sided spectrum: 2 |X|^2 / (N n) per bin)
        double scale = 2.0 / (RealFft256.N * (double) Math.max(n, 1));
        double total = 0;
        double weighted = 0;
        double low = 0;
        double logSum = 0;
        double[] level = s.bandLevel;
        for (int b = 0; b < BANDS; b++) {
            double e = 0;
            for (int k = BAND_BINS[b]; k < BAND_BINS[b + 1]; k++) {
                e += power[k];
                weighted += k * power[k];
            }
            e *= scale;
            total += e;
            if (b < LOW_BANDS) {
                low += e;
            }
            double lev = 10 * Math.log10(e + EPS);
            level[b] = lev;
            // flatness over bands: geometric vs arithmetic mean of power per bin
            logSum += (BAND_BINS[b + 1] - BAND_BINS[b]) * (lev - BAND_WIDTH_DB[b]);
        }
        int bins = BAND_BINS[BANDS] - BAND_BINS[0];
        double totalLevel = 10 * Math.log10(total + EPS);
        level[BANDS] = totalLevel;
        double flatness = logSum / bins - (totalLevel - ALL_BANDS_WIDTH_DB);

        // floors: track the smoothed level, fall at once, rise slowly
        boolean started = state[at + STARTED] != 0;
        double maxSnr = -10;
        for (int b = 0; b <= BANDS; b++) {
            float lev = (float) level[b];
            float smoothed;
            float floor;
            if (!started) {
                smoothed = lev;
                floor = Math.min(lev, INITIAL_FLOOR[b]);
            } else {
                smoothed = 0.5f * (state[at + SMOOTHED + b] + lev);
                floor = state[at + FLOOR + b];
            }
            float snr = clamp((lev - floor) / 10f, -1f, 6f);
            if (b < BANDS) {
                f[b] = snr;
                maxSnr = Math.max(maxSnr, snr);
            } else {
                f[BANDS] = snr;
            }
            floor = smoothed < floor ? smoothed : Math.min(smoothed, floor + FLOOR_RISE_DB);
            state[at + SMOOTHED + b] = smoothed;
            state[at + FLOOR + b] = floor;
        }

        // harmonicity: autocorrelation of the frame low-passed at 2 kHz, from the inverse
        // transform of |X|^2 over bins 0..64 (lags in steps of 2 samples), normalised by its
        // value at lag 0 and by the overlap n / (n - lag) of the rectangular window
        double[] q = s.even;
        for (int k = 0; k <= 64; k++) {
            q[k] = power[k];
        }
        for (int k = 1; k < 64; k++) {
            q[128 - k] = power[k];
        }
        RealFft256.evenTransform128(q, re, s.zr, s.zi);
        double best = 0;
        int bestStep = MIN_LAG / 2;
        double r0 = re[0];
        if (r0 > 0) {
            int maxStep = Math.min(MAX_LAG, n - 32) / 2;
            for (int m = MIN_LAG / 2; m <= maxStep; m++) {
                double c = re[m] * n / (n - 2 * m);
                if (c > best) {
                    best = c;
                    bestStep = m;
                }
            }
            best /= r0;
        }
        // pitch: the lag of the peak (0 at 400 Hz, 1 at 83 Hz), and how far it moved since the
        // previous frame (one talker's pitch glides, a crowd's jumps)
        float pitch = (bestStep - MIN_LAG / 2) / (float) (MAX_LAG / 2 - MIN_LAG / 2);
        float previousPitch = started ? state[at + PREV1 + BANDS + 9] : pitch;
        f[BANDS + 1] = clamp((float) ((totalLevel + 50) / 20), -3f, 3f);
        f[BANDS + 2] = clamp((state[at + FLOOR + BANDS] + 50) / 20f, -3f, 3f);
        f[BANDS + 3] = clamp((float) (flatness / 10), -4f, 0f);
        f[BANDS + 4] = (float) Math.min(best, 1.5);
        f[BANDS + 5] = n > 1 ? crossings / (float) (n - 1) : 0f;
        double centroid = total > 0 ? weighted * scale / total : BAND_BINS[0];
        f[BANDS + 6] = (float) ((centroid - BAND_BINS[0]) / bins);
        f[BANDS + 7] = (float) maxSnr;
        f[BANDS + 8] = clamp((float) ((10 * Math.log10(low + EPS) - totalLevel) / 10), -4f, 0f);
        f[BANDS + 9] = pitch;
        f[BANDS + 10] = Math.abs(pitch - previousPitch);
    }

    /** Loads the frame at 8 kHz into x (zero padded to 256); returns the number of samples. */
    private static int load(
            float[] state, int at, short[] samples, int offset, int length, int rate, double[] x) {
        int n;
        if (rate == 8000) {
            n = Math.min(length, RealFft256.N);
            for (int i = 0; i < n; i++) {
                x[i] = samples[offset + i] * (1.0 / 32768);
            }
        } else if (rate == 16000) {
            // [1/4 1/2 1/4] low-pass, then every other sample
            n = Math.min(length / 2, RealFft256.N);
            double previous = state[at + LAST_SAMPLE];
            for (int i = 0; i < n; i++) {
                double a = samples[offset + 2 * i];
                double b = samples[offset + 2 * i + 1];
                x[i] = (0.25 * previous + 0.5 * a + 0.25 * b) * (1.0 / 32768);
                previous = b;
            }
            state[at + LAST_SAMPLE] = (float) previous;
        } else {
            throw new IllegalArgumentException(
                    "sample rate: expected 8000 or 16000, found " + rate);
        }
        for (int i = n; i < RealFft256.N; i++) {
            x[i] = 0;
        }
        return n;
    }

    private static float clamp(float v, float lo, float hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
