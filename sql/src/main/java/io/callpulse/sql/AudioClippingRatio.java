package io.callpulse.sql;

import io.callpulse.udf.level.Levels;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code AUDIO_CLIPPING_RATIO(record)} or {@code AUDIO_CLIPPING_RATIO(audio, encoding,
 * sampleRate)}: the fraction of samples within 0.1 dB of full scale.
 */
public final class AudioClippingRatio extends ScalarFunction {

    public @DataTypeHint("DOUBLE") Double eval(byte[] record) {
        return clipping(AudioInput.ofRecord(record));
    }

    public @DataTypeHint("DOUBLE") Double eval(byte[] audio, String encoding, Integer sampleRate) {
        return clipping(AudioInput.ofRaw(audio, encoding, sampleRate));
    }

    private static Double clipping(AudioInput input) {
        if (input == null || input.samples().length == 0) {
            return null;
        }
        short[] samples = input.samples();
        return Levels.clippedSamples(samples, 0, samples.length) / (double) samples.length;
    }
}
