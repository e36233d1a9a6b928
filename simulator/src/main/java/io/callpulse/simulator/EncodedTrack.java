package io.callpulse.simulator;

import java.util.Arrays;
import java.util.Base64;

/**
 * One track's audio cut into 20 ms media payloads and encoded to base64 once, so that any number of
 * calls can send it without encoding it again.
 */
public final class EncodedTrack {

    private final String[] payloads;

    private EncodedTrack(String[] payloads) {
        this.payloads = payloads;
    }

    /** The samples in 20 ms chunks; the last one may be shorter. */
    public static EncodedTrack of(StreamFormat format, short[] samples) {
        int perChunk = format.sampleRate() / 50;
        int chunks = (samples.length + perChunk - 1) / perChunk;
        String[] payloads = new String[chunks];
        Base64.Encoder base64 = Base64.getEncoder();
        for (int i = 0; i < chunks; i++) {
            int offset = i * perChunk;
            payloads[i] =
                    base64.encodeToString(
                            format.encode(
                                    samples, offset, Math.min(perChunk, samples.length - offset)));
        }
        return new EncodedTrack(payloads);
    }

    /** {@code chunks} chunks of digital silence that share one payload. */
    public static EncodedTrack silence(StreamFormat format, int chunks) {
        String payload =
                Base64.getEncoder()
                        .encodeToString(
                                format.encode(
                                        new short[format.sampleRate() / 50],
                                        0,
                                        format.sampleRate() / 50));
        String[] payloads = new String[chunks];
        Arrays.fill(payloads, payload);
        return new EncodedTrack(payloads);
    }

    public int chunks() {
        return payloads.length;
    }

    /** The base64 payload of chunk {@code index} (from 0). */
    public String payload(int index) {
        return payloads[index];
    }
}
