package io.callpulse.sql;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code AUDIO_TRACK(record)}: the track of a {@code callpulse.audio} value, {@code inbound} or
 * {@code outbound}; NULL for the end-of-stream marker.
 */
public final class AudioTrack extends ScalarFunction {

    public @DataTypeHint("STRING") String eval(byte[] record) {
        AudioInput input = AudioInput.ofRecord(record);
        return input == null ? null : input.track();
    }
}
