package io.callpulse.sql;

import io.callpulse.udf.codec.LittleEndianPcm16;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code AUDIO_PCM(record)} or {@code AUDIO_PCM(audio, encoding, sampleRate)}: the audio decoded to
 * 16-bit little-endian linear PCM, whatever it was encoded as.
 */
public final class AudioPcm extends ScalarFunction {

    public @DataTypeHint("BYTES") byte[] eval(byte[] record) {
        return pcm(AudioInput.ofRecord(record));
    }

    public @DataTypeHint("BYTES") byte[] eval(byte[] audio, String encoding, Integer sampleRate) {
        return pcm(AudioInput.ofRaw(audio, encoding, sampleRate));
    }

    private static byte[] pcm(AudioInput input) {
        if (input == null) {
            return null;
        }
        byte[] pcm = new byte[input.samples().length * 2];
        LittleEndianPcm16.encode(input.samples(), 0, input.samples().length, pcm, 0);
        return pcm;
    }
}
