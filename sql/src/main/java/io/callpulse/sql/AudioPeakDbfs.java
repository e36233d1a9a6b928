package io.callpulse.sql;

import io.callpulse.udf.level.Levels;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code AUDIO_PEAK_DBFS(record)} or {@code AUDIO_PEAK_DBFS(audio, encoding, sampleRate)}: the
 * largest sample magnitude in dBFS (a full-scale sample is 0).
 */
public final class AudioPeakDbfs extends ScalarFunction {

    public @DataTypeHint("DOUBLE") Double eval(byte[] record) {
        return peak(AudioInput.ofRecord(record));
    }

    public @DataTypeHint("DOUBLE") Double eval(byte[] audio, String encoding, Integer sampleRate) {
        return peak(AudioInput.ofRaw(audio, encoding, sampleRate));
    }

    private static Double peak(AudioInput input) {
        return input == null || input.samples().length == 0
                ? null
                : Levels.peakDbfs(Levels.peak(input.samples(), 0, input.samples().length));
    }
}
