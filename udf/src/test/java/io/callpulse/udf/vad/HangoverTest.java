package io.callpulse.udf.vad;

import static io.callpulse.udf.vad.Signals.speechAt;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HangoverTest {

    @Test
    void speechLastsTenFramesPastTheLastSpeechFrame() {
        Signals signal = new Signals(3).noise(50, -60).add(50, -60, -20).noise(50, -60);

        assertThat(signal.decide(Hangover.energyDetector()))
                .containsExactly(speechAt(150, 50, 110));
    }

    @Test
    void aPauseShorterThanTheHangoverIsBridged() {
        // 300 ms talk, 160 ms pause, 300 ms talk: one stretch of speech
        Signals signal =
                new Signals(3)
                        .noise(20, -60)
                        .add(15, -60, -20)
                        .noise(8, -60)
                        .add(15, -60, -20)
                        .noise(42, -60);

        assertThat(signal.decide(Hangover.energyDetector())).containsExactly(speechAt(100, 20, 68));
    }

    @Test
    void aPauseLongerThanTheHangoverIsSilence() {
        Signals signal =
                new Signals(3)
                        .noise(20, -60)
                        .add(15, -60, -20)
                        .noise(20, -60)
                        .add(15, -60, -20)
                        .noise(30, -60);

        assertThat(signal.decide(Hangover.energyDetector()))
                .containsExactly(speechAt(100, 20, 45, 55, 80));
    }

    @Test
    void zeroFramesIsTheDetectorItself() {
        Signals signal = new Signals(3).noise(50, -60).add(50, -60, -20).noise(50, -60);

        assertThat(signal.decide(new Hangover(new AdaptiveEnergyVad(), 0)))
                .containsExactly(signal.decide(new AdaptiveEnergyVad()));
    }
}
