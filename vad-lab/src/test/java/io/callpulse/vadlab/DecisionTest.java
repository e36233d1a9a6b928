package io.callpulse.vadlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.udf.vad.LearnedVad;
import io.callpulse.udf.vad.VadModel;
import org.junit.jupiter.api.Test;

class DecisionTest {

    /** The trainer chooses decision settings by simulating them; the simulation must be exact. */
    @Test
    void theTrainersDecisionsAreTheDetectors() {
        short[] audio = VadFrameBenchmark.syntheticCall(400 * 160, 9);
        VadModel shipped = VadModel.shipped();
        for (VadModel model :
                new VadModel[] {
                    shipped,
                    shipped.withDecision(0.4f, 0.6f, 0.3f, 6),
                    shipped.withDecision(1f, 0.5f, 0.5f, 10)
                }) {
            LearnedVad vad = new LearnedVad(model);
            float[] state = vad.newState();
            boolean[] expected = new boolean[400];
            float[] p = new float[400];
            for (int f = 0; f < 400; f++) {
                expected[f] = vad.isSpeech(state, audio, f * 160, 160, 8000);
                p[f] = LearnedVad.probability(state);
            }
            boolean[] simulated =
                    Decision.decide(
                            p,
                            model.smoothing,
                            model.onThreshold,
                            model.offThreshold,
                            model.hangoverFrames);
            assertThat(simulated).containsExactly(expected);
        }
    }

    @Test
    void f1AndFalseAlarmsFromCounts() {
        long[] c = {80, 10, 20, 90}; // tp, fp, fn, tn
        assertThat(Decision.f1(c)).isEqualTo(160.0 / 190);
        assertThat(Decision.falseAlarm(c)).isEqualTo(0.1);
    }
}
