package io.callpulse.sql;

import io.callpulse.udf.level.Levels;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code AUDIO_LEVEL_DBFS(record)} or {@code AUDIO_LEVEL_DBFS(audio, encoding, sampleRate)}: the
 * RMS level of the audio in dBFS (a full-scale sine reads -3.01; digital silence -120).
 */
public final class AudioLevelDbfs extends ScalarFunction {

    public @DataTypeHint("DOUBLE") Double eval(byte[] record) {
        return level(AudioInput.ofRecord(record));
    }

    public @DataTypeHint("DOUBLE") Double eval(byte[] audio, String encoding, Integer sampleRate) {
        return level(AudioInput.ofRaw(audio, encoding, sampleRate));
    }

    private static Double level(AudioInput input) {
        return input == null || input.samples().length == 0
                ? null
                : Levels.rmsDbfs(input.samples(), 0, input.samples().length);
    }
}
