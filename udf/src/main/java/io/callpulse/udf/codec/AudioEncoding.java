package io.callpulse.udf.codec;

import java.util.Locale;

/** The sample encodings Plivo streams: G.711 mu-law and 16-bit little-endian linear PCM. */
public enum AudioEncoding {
    MULAW("audio/x-mulaw", 1),
    L16("audio/x-l16", 2);

    private final String mimeType;
    private final int bytesPerSample;

    AudioEncoding(String mimeType, int bytesPerSample) {
        this.mimeType = mimeType;
        this.bytesPerSample = bytesPerSample;
    }

    /** The MIME type without parameters, as Plivo writes it in {@code mediaFormat.encoding}. */
    public String mimeType() {
        return mimeType;
    }

    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** Number of whole samples in {@code byteLength} bytes of this encoding. */
    public int sampleCount(int byteLength) {
        return byteLength / bytesPerSample;
    }

    /** Decodes {@code length} bytes into 16-bit linear samples; returns the samples written. */
    public int decode(byte[] src, int srcOffset, int length, short[] dst, int dstOffset) {
        if (this == MULAW) {
            MuLaw.decode(src, srcOffset, length, dst, dstOffset);
            return length;
        }
        LittleEndianPcm16.decode(src, srcOffset, length, dst, dstOffset);
        return length >> 1;
    }

    /**
     * Parses a MIME type such as {@code audio/x-mulaw} or {@code audio/x-l16;rate=16000}; any
     * parameters are ignored (the rate travels separately).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static AudioEncoding fromMimeType(String value) {
        if (value != null) {
            int semicolon = value.indexOf(';');
            String bare =
                    (semicolon < 0 ? value : value.substring(0, semicolon))
                            .trim()
                            .toLowerCase(Locale.ROOT);
            for (AudioEncoding encoding : values()) {
                if (encoding.mimeType.equals(bare)) {
                    return encoding;
                }
            }
        }
        throw new IllegalArgumentException(
                "encoding '" + value + "' is not supported; expected audio/x-mulaw or audio/x-l16");
    }
}
