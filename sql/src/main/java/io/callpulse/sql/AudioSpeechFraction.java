package io.callpulse.sql;

import io.callpulse.udf.vad.Hangover;
import io.callpulse.udf.vad.VoiceActivityDetector;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code AUDIO_SPEECH_FRACTION(record)} or {@code AUDIO_SPEECH_FRACTION(audio, encoding,
 * sampleRate)}: the fraction of the chunk's whole 20 ms frames that the job's default voice
 * activity detector (the learned one, docs/vad.md) calls speech, in one stateless pass (a fresh
 * detector state per row: nothing is learnt across rows, so each row starts with the detector's
 * one-frame onset and without knowledge of the track's noise); NULL when the chunk holds no whole
 * frame.
 */
public final class AudioSpeechFraction extends ScalarFunction {

    private static final VoiceActivityDetector DETECTOR = Hangover.defaultDetector();

    public @DataTypeHint("DOUBLE") Double eval(byte[] record) {
        return speech(AudioInput.ofRecord(record));
    }

    public @DataTypeHint("DOUBLE") Double eval(byte[] audio, String encoding, Integer sampleRate) {
        return speech(AudioInput.ofRaw(audio, encoding, sampleRate));
    }

    private static Double speech(AudioInput input) {
        if (input == null) {
            return null;
        }
        int frame = input.sampleRate() / 50;
        int frames = frame == 0 ? 0 : input.samples().length / frame;
        if (frames == 0) {
            return null;
        }
        float[] state = DETECTOR.newState();
        int speech = 0;
        for (int f = 0; f < frames; f++) {
            if (DETECTOR.isSpeech(state, input.samples(), f * frame, frame, input.sampleRate())) {
                speech++;
            }
        }
        return speech / (double) frames;
    }
}
