package io.callpulse.udf.vad;

import io.callpulse.udf.level.Levels;

/**
 * A frame is speech when its level stands clear of an adaptive noise floor. The floor follows the
 * quietest recent frames: it falls at once to a quieter frame and rises slowly, so a pause between
 * words pulls it down and a long stretch of speech barely lifts it, while a noise that settles in
 * (a fan, a noisy line) is learnt within seconds.
 *
 * <p>This is the baseline detector: sound on clean and moderately noisy lines, but an energy
 * detector cannot tell loud noise from speech. It stays behind {@link VoiceActivityDetector} so a
 * better one can replace it.
 */
public final class AdaptiveEnergyVad implements VoiceActivityDetector {

    /** Defaults: a frame 9 dB over the floor and louder than -55 dBFS is speech. */
    public static final double DEFAULT_MARGIN_DB = 9.0;

    public static final double DEFAULT_MIN_SPEECH_DBFS = -55.0;

    /** How fast the floor rises: 0.05 dB per 20 ms frame, 2.5 dB per second. */
    public static final double DEFAULT_RISE_DB_PER_FRAME = 0.05;

    /**
     * The floor starts here (or at the first frame, if quieter), so that a call that opens with
     * speech is heard from its first word and a quiet line is learnt at once.
     */
    public static final double INITIAL_FLOOR_DBFS = -50.0;

    private static final int FLOOR = 0;
    private static final int STARTED = 1;

    private final double marginDb;
    private final double minSpeechDbfs;
    private final double riseDbPerFrame;

    public AdaptiveEnergyVad() {
        this(DEFAULT_MARGIN_DB, DEFAULT_MIN_SPEECH_DBFS, DEFAULT_RISE_DB_PER_FRAME);
    }

    public AdaptiveEnergyVad(double marginDb, double minSpeechDbfs, double riseDbPerFrame) {
        if (marginDb <= 0 || riseDbPerFrame <= 0) {
            throw new IllegalArgumentException(
                    "marginDb and riseDbPerFrame: expected positive values, found "
                            + marginDb
                            + " and "
                            + riseDbPerFrame);
        }
        this.marginDb = marginDb;
        this.minSpeechDbfs = minSpeechDbfs;
        this.riseDbPerFrame = riseDbPerFrame;
    }

    @Override
    public int stateSize() {
        return 2;
    }

    @Override
    public float[] newState() {
        return new float[stateSize()];
    }

    @Override
    public boolean isSpeech(float[] state, short[] samples, int offset, int length, int rate) {
        double level = Levels.rmsDbfs(samples, offset, length);
        double floor;
        if (state[STARTED] == 0) {
            floor = Math.min(level, INITIAL_FLOOR_DBFS);
            state[STARTED] = 1;
        } else {
            floor = state[FLOOR];
        }
        boolean speech = level >= minSpeechDbfs && level > floor + marginDb;
        if (level < floor) {
            floor = level;
        } else {
            floor = Math.min(level, floor + riseDbPerFrame);
        }
        state[FLOOR] = (float) floor;
        return speech;
    }

    /** The track's current noise floor estimate, in dBFS. */
    public static double noiseFloorDbfs(float[] state) {
        return state[FLOOR];
    }
}
