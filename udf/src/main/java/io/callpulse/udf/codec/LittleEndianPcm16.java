package io.callpulse.udf.codec;

/**
 * 16-bit signed linear PCM, little-endian: the byte order of {@code audio/x-l16} in Plivo's own
 * examples (its documents do not state one).
 */
public final class LittleEndianPcm16 {

    private LittleEndianPcm16() {}

    /**
     * Decodes {@code length} bytes (an even number) from {@code src} into {@code length / 2}
     * samples in {@code dst}.
     */
    public static void decode(byte[] src, int srcOffset, int length, short[] dst, int dstOffset) {
        int samples = length >> 1;
        for (int i = 0; i < samples; i++) {
            int b = srcOffset + (i << 1);
            dst[dstOffset + i] = (short) ((src[b] & 0xFF) | (src[b + 1] << 8));
        }
    }

    /** Encodes samples as little-endian bytes into {@code dst}, two bytes per sample. */
    public static void encode(short[] src, int srcOffset, int samples, byte[] dst, int dstOffset) {
        for (int i = 0; i < samples; i++) {
            short s = src[srcOffset + i];
            int b = dstOffset + (i << 1);
            dst[b] = (byte) s;
            dst[b + 1] = (byte) (s >> 8);
        }
    }
}
