package io.callpulse.udf.vad;

/**
 * Keeps speech on for a while after the last speech frame, so that the short pauses between words
 * do not count as silence (or as turn changes). Wraps any detector; its countdown is the last slot
 * of the state array.
 */
public final class Hangover implements VoiceActivityDetector {

    /** 200 ms of 20 ms frames. */
    public static final int DEFAULT_FRAMES = 10;

    private final VoiceActivityDetector detector;
    private final int frames;

    public Hangover(VoiceActivityDetector detector, int frames) {
        if (frames < 0) {
            throw new IllegalArgumentException(
                    "hangover frames: expected 0 or more, found " + frames);
        }
        this.detector = detector;
        this.frames = frames;
    }

    /**
     * The default detector: {@link LearnedVad}, which carries its own smoothing and hangover. It
     * replaced the adaptive energy detector with a 200 ms hangover ({@link #energyDetector()})
     * because it scores better on the development and held-out sets (docs/vad.md).
     */
    public static VoiceActivityDetector defaultDetector() {
        return new LearnedVad();
    }

    /** The former default: the adaptive energy detector with a 200 ms hangover. */
    public static VoiceActivityDetector energyDetector() {
        return new Hangover(new AdaptiveEnergyVad(), DEFAULT_FRAMES);
    }

    @Override
    public int stateSize() {
        return detector.stateSize() + 1;
    }

    @Override
    public float[] newState() {
        return new float[stateSize()];
    }

    @Override
    public boolean isSpeech(float[] state, short[] samples, int offset, int length, int rate) {
        int countdown = state.length - 1;
        if (detector.isSpeech(state, samples, offset, length, rate)) {
            state[countdown] = frames;
            return true;
        }
        if (state[countdown] > 0) {
            state[countdown]--;
            return true;
        }
        return false;
    }
}
