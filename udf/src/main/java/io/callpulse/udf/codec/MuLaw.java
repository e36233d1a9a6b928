package io.callpulse.udf.codec;

/**
 * ITU-T G.711 mu-law, the codec of {@code audio/x-mulaw} streams.
 *
 * <p>Decoded samples are 16-bit linear PCM: the 14-bit G.711 decoder output scaled by four, so the
 * loudest code decodes to ±32124 and the level scale is the same as for L16 audio.
 */
public final class MuLaw {

    /** Bias added before the segment search, as in G.711 (33 in 14-bit units, 132 in 16-bit). */
    private static final int BIAS = 0x84;

    private static final int CLIP = 32635;

    /** Code for digital silence (+0). */
    public static final byte SILENCE = (byte) 0xFF;

    private static final short[] DECODE_TABLE = buildDecodeTable();

    private MuLaw() {}

    /** Decodes one mu-law code to a 16-bit linear sample. */
    public static short decode(byte code) {
        return DECODE_TABLE[code & 0xFF];
    }

    /** Decodes {@code length} codes from {@code src} into {@code dst}; one sample per byte. */
    public static void decode(byte[] src, int srcOffset, int length, short[] dst, int dstOffset) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = DECODE_TABLE[src[srcOffset + i] & 0xFF];
        }
    }

    /**
     * Encodes one 16-bit linear sample to its mu-law code (the G.711 encoder truncates within a
     * step).
     */
    public static byte encode(short sample) {
        int pcm = sample;
        int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        if (pcm > CLIP) {
            pcm = CLIP;
        }
        pcm += BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    private static short[] buildDecodeTable() {
        short[] table = new short[256];
        for (int code = 0; code < 256; code++) {
            int inverted = ~code & 0xFF;
            int exponent = (inverted >> 4) & 0x07;
            int mantissa = inverted & 0x0F;
            int magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
            table[code] = (short) ((inverted & 0x80) != 0 ? -magnitude : magnitude);
        }
        return table;
    }
}
