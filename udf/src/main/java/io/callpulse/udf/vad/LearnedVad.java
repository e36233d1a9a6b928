package io.callpulse.udf.vad;

/**
 * A learned detector for noisy telephone audio: spectral and pitch features against adaptive noise
 * floors ({@link VadFeatures}), a small neural network ({@link VadModel}), then a smoothed
 * probability with hysteresis and a hangover. Costs a few microseconds per 20 ms frame and
 * allocates nothing per frame.
 */
public final class LearnedVad implements VoiceActivityDetector {

    private static final long serialVersionUID = 1L;

    private static final int PROBABILITY = VadFeatures.STATE_SIZE;
    private static final int SMOOTHED = PROBABILITY + 1;
    private static final int ON = SMOOTHED + 1;
    private static final int COUNTDOWN = ON + 1;
    private static final int STATE_SIZE = COUNTDOWN + 1;

    private final VadModel model;

    /** The detector with the weights that ship with callpulse. */
    public LearnedVad() {
        this(VadModel.shipped());
    }

    public LearnedVad(VadModel model) {
        if (model.inputs != VadFeatures.INPUTS) {
            throw new IllegalArgumentException(
                    "model inputs: expected " + VadFeatures.INPUTS + ", found " + model.inputs);
        }
        this.model = model;
    }

    public VadModel model() {
        return model;
    }

    @Override
    public int stateSize() {
        return STATE_SIZE;
    }

    @Override
    public float[] newState() {
        return new float[STATE_SIZE];
    }

    @Override
    public boolean isSpeech(float[] state, short[] samples, int offset, int length, int rate) {
        VadFeatures.Scratch s = VadFeatures.scratch();
        VadFeatures.compute(state, 0, samples, offset, length, rate, s.inputs, s);
        float p = model.probability(s.inputs, s.hidden);
        state[PROBABILITY] = p;
        float smoothed = state[SMOOTHED] + model.smoothing * (p - state[SMOOTHED]);
        state[SMOOTHED] = smoothed;
        boolean on = state[ON] != 0;
        on = on ? smoothed >= model.offThreshold : smoothed >= model.onThreshold;
        state[ON] = on ? 1 : 0;
        if (on) {
            state[COUNTDOWN] = model.hangoverFrames;
            return true;
        }
        if (state[COUNTDOWN] > 0) {
            state[COUNTDOWN]--;
            return true;
        }
        return false;
    }

    /** The network's speech probability of the last frame, before smoothing. */
    public static float probability(float[] state) {
        return state[PROBABILITY];
    }

    /** The smoothed probability of the last frame. */
    public static float smoothedProbability(float[] state) {
        return state[SMOOTHED];
    }
}
