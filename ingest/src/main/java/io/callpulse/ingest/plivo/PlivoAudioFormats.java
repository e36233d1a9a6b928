package io.callpulse.ingest.plivo;

import io.callpulse.udf.codec.AudioEncoding;

/**
 * The audio Plivo streams and plays: audio/x-l16 at 8000 or 16000 Hz, audio/x-mulaw at 8000 Hz only
 * (its reference lists no other combination).
 */
public final class PlivoAudioFormats {

    private PlivoAudioFormats() {}

    /**
     * @param field the rate's dotted path, for the reason
     * @throws IllegalArgumentException naming {@code field} and the rates allowed for {@code
     *     encoding}, unless {@code sampleRate} is one of them
     */
    public static void requireSupportedRate(String field, AudioEncoding encoding, long sampleRate) {
        boolean l16 = encoding == AudioEncoding.L16;
        if (sampleRate == 8000 || (l16 && sampleRate == 16000)) {
            return;
        }
        throw new IllegalArgumentException(
                field
                        + ": expected "
                        + (l16 ? "8000 or 16000" : "8000")
                        + " for "
                        + encoding.mimeType()
                        + ", found "
                        + sampleRate);
    }
}
