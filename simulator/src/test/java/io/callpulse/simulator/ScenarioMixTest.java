package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioMixTest {

    @Test
    void everyHundredCallsHoldExactlyThePercentages() {
        ScenarioMix mix =
                ScenarioMix.parse(
                        "normal=70,dropped=10,silent-drop=5,no-media=5,one-way=5,reordered=5");
        Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
        for (int i = 0; i < 200; i++) {
            counts.merge(mix.next(), 1, Integer::sum);
        }
        assertThat(counts)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                Scenario.NORMAL, 140,
                                Scenario.DROPPED, 20,
                                Scenario.SILENT_DROP, 10,
                                Scenario.NO_MEDIA, 10,
                                Scenario.ONE_WAY, 10,
                                Scenario.REORDERED, 10));
    }

    @Test
    void rareScenariosAreSpreadOut() {
        ScenarioMix mix = ScenarioMix.parse("normal=50,dropped=25,bot=25");
        List<Scenario> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(mix.next());
        }
        assertThat(first)
                .containsExactly(Scenario.NORMAL, Scenario.DROPPED, Scenario.BOT, Scenario.NORMAL);
    }

    @Test
    void aLoneNameIsAllTheCalls() {
        assertThat(ScenarioMix.parse("malformed").percentages())
                .isEqualTo(Map.of(Scenario.MALFORMED, 100));
    }

    @Test
    void refusesMixesThatDoNotAddUp() {
        assertThatThrownBy(() -> ScenarioMix.parse("normal=70,dropped=20"))
                .hasMessage("scenario percentages must add up to 100, not 90");
        assertThatThrownBy(() -> ScenarioMix.parse("normal=70,hangup=30"))
                .hasMessage("unknown scenario: hangup");
        assertThatThrownBy(() -> ScenarioMix.parse("normal=lots"))
                .hasMessage("not a whole percentage: normal=lots");
    }
}
