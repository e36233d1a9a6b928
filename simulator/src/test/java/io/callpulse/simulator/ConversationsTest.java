package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.callpulse.simulator.Conversations.Conversation;
import io.callpulse.simulator.Conversations.Turn;
import io.callpulse.udf.level.Levels;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationsTest {

    @Test
    void speechHasTheAskedLevelAndASyllableRhythm() {
        short[] speech = SyntheticAudio.at(8000).speech(150, -20, 1000).build();
        assertThat(speech).hasSize(8000);
        assertThat(Levels.rmsDbfs(speech, 0, 8000)).isCloseTo(-20.0, within(0.01));
        // the 4 Hz envelope: silent at 0, 250, 500 ms; loudest at 125, 375 ms
        double trough = Levels.rmsDbfs(speech, 1960, 80); // 245-255 ms
        double crest = Levels.rmsDbfs(speech, 960, 80); // 120-130 ms
        assertThat(crest - trough).isGreaterThan(30);
    }

    @Test
    void aMinuteLongCallHasTurnsTalkOverAndOneStretchOfDeadAir() {
        Conversation call = Conversations.generate(8000, 60_000, Conversations.Voice.SPEECH, 3);
        assertThat(call.caller()).hasSize(480_000);
        assertThat(call.agent()).hasSize(480_000);
        List<Turn> turns = call.turns();
        assertThat(turns.get(0)).isEqualTo(new Turn(true, 0, turns.get(0).endMs()));
        int talkOver = 0;
        int deadAir = 0;
        for (int i = 1; i < turns.size(); i++) {
            Turn previous = turns.get(i - 1);
            Turn turn = turns.get(i);
            assertThat(turn.caller()).isNotEqualTo(previous.caller()); // parties alternate
            assertThat(turn.endMs() - turn.startMs()).isBetween(1L, 4000L);
            if (turn.startMs() < previous.endMs()) {
                talkOver++;
            }
            if (turn.startMs() - previous.endMs() >= 6000) {
                deadAir++;
            }
        }
        assertThat(talkOver).isPositive();
        assertThat(deadAir).isEqualTo(1);
        // each turn carries its party at its level
        for (Turn turn : turns) {
            short[] track = turn.caller() ? call.caller() : call.agent();
            int from = (int) (turn.startMs() * 8);
            int length = (int) ((turn.endMs() - turn.startMs()) * 8);
            assertThat(Levels.rmsDbfs(track, from, length))
                    .isCloseTo(turn.caller() ? -22.0 : -24.0, within(0.5));
        }
    }

    @Test
    void theSameSeedGivesTheSameCall() {
        assertThat(Conversations.generate(16000, 30_000, Conversations.Voice.TONES, 9).turns())
                .isEqualTo(
                        Conversations.generate(16000, 30_000, Conversations.Voice.TONES, 9).turns())
                .isNotEqualTo(
                        Conversations.generate(16000, 30_000, Conversations.Voice.TONES, 10)
                                .turns());
    }
}
