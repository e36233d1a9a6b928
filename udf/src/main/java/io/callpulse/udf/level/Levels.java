package io.callpulse.udf.level;

/**
 * Signal levels in dBFS, where 0 dBFS is a square wave at full scale (|sample| = 32768): a
 * full-scale sine reads -3.01 dBFS.
 */
public final class Levels {

    /** Full scale of 16-bit samples. */
    public static final double FULL_SCALE = 32768.0;

    /**
     * The level reported for digital silence (all samples zero), whose true level is minus
     * infinity. It sits far below any real signal: one non-zero 16-bit sample in a 20 ms frame at
     * 16 kHz is already -115 dBFS.
     */
    public static final double DIGITAL_SILENCE_DBFS = -120.0;

    private static final double SILENCE_MEAN_SQUARE = Math.pow(10.0, DIGITAL_SILENCE_DBFS / 10.0);

    private Levels() {}

    /** Mean of the squared samples, normalised to full scale (1.0 for a full-scale square wave). */
    public static double meanSquare(short[] samples, int offset, int length) {
        if (length <= 0) {
            return 0.0;
        }
        long sum = 0;
        for (int i = offset; i < offset + length; i++) {
            int s = samples[i];
            sum += s * s;
        }
        return sum / (FULL_SCALE * FULL_SCALE) / length;
    }

    /** RMS level in dBFS of a normalised mean square, floored at {@link #DIGITAL_SILENCE_DBFS}. */
    public static double dbfs(double meanSquare) {
        if (meanSquare <= SILENCE_MEAN_SQUARE) {
            return DIGITAL_SILENCE_DBFS;
        }
        return 10.0 * Math.log10(meanSquare);
    }

    /** RMS level in dBFS of the given samples. */
    public static double rmsDbfs(short[] samples, int offset, int length) {
        return dbfs(meanSquare(samples, offset, length));
    }

    /** The amplitude (in sample units) of a sine whose RMS level is {@code dbfs}. */
    public static double sineAmplitudeForDbfs(double dbfs) {
        return FULL_SCALE * Math.sqrt(2.0) * Math.pow(10.0, dbfs / 20.0);
    }

    /**
     * Samples at or above this magnitude are within 0.1 dB of full scale: clipped, or as good as.
     */
    public static final int CLIPPING_THRESHOLD =
            (int) Math.ceil(FULL_SCALE * Math.pow(10.0, -0.1 / 20.0));

    /** The largest magnitude among the samples (0 for none). */
    public static int peak(short[] samples, int offset, int length) {
        int peak = 0;
        for (int i = offset; i < offset + length; i++) {
            peak = Math.max(peak, Math.abs((int) samples[i]));
        }
        return peak;
    }

    /** A sample magnitude in dBFS (a full-scale sample is 0 dBFS), floored like RMS levels. */
    public static double peakDbfs(int peak) {
        return peak == 0 ? DIGITAL_SILENCE_DBFS : 20.0 * Math.log10(peak / FULL_SCALE);
    }

    /** How many samples are within 0.1 dB of full scale. */
    public static int clippedSamples(short[] samples, int offset, int length) {
        int clipped = 0;
        for (int i = offset; i < offset + length; i++) {
            if (Math.abs((int) samples[i]) >= CLIPPING_THRESHOLD) {
                clipped++;
            }
        }
        return clipped;
    }
}
