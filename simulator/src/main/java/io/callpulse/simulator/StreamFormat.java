package io.callpulse.simulator;

import io.callpulse.udf.codec.AudioEncoding;
import io.callpulse.udf.codec.LittleEndianPcm16;
import io.callpulse.udf.codec.MuLaw;

/** One of the three audio formats a Plivo stream can carry. */
public enum StreamFormat {
    MULAW_8K(AudioEncoding.MULAW, 8000),
    L16_8K(AudioEncoding.L16, 8000),
    L16_16K(AudioEncoding.L16, 16000);

    private final AudioEncoding encoding;
    private final int sampleRate;

    StreamFormat(AudioEncoding encoding, int sampleRate) {
        this.encoding = encoding;
        this.sampleRate = sampleRate;
    }

    public AudioEncoding encoding() {
        return encoding;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Encodes samples as they travel in a media payload. */
    public byte[] encode(short[] samples, int offset, int count) {
        if (encoding == AudioEncoding.MULAW) {
            byte[] out = new byte[count];
            for (int i = 0; i < count; i++) {
                out[i] = MuLaw.encode(samples[offset + i]);
            }
            return out;
        }
        byte[] out = new byte[count * 2];
        LittleEndianPcm16.encode(samples, offset, count, out, 0);
        return out;
    }
}
