package io.callpulse.udf.vad;

import java.io.Serializable;

/**
 * Decides, frame by frame, whether one track holds speech. Implementations are stateless objects; a
 * track's memory (noise estimate, feature history, hangover) lives in a {@code float[]} the caller
 * keeps, so that a Flink job can hold it in keyed state as a plain array and one detector serves
 * every stream.
 */
public interface VoiceActivityDetector extends Serializable {

    /** Length of the per-track state array. */
    int stateSize();

    /** A fresh state for a new track. */
    float[] newState();

    /**
     * Decides one frame (callpulse uses 20 ms frames) and updates the track's state.
     *
     * @param state the track's state, from {@link #newState()}
     * @param samples 16-bit linear samples
     * @param sampleRate the samples' rate (8000 or 16000 for telephone audio)
     */
    boolean isSpeech(float[] state, short[] samples, int offset, int length, int sampleRate);
}
