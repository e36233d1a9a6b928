package io.callpulse.bench.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(args, Set.of("rounds", "window", "levels"), Set.of("skip-soak"));
    }

    @Test
    void valuesFlagsAndDefaults() {
        BenchOptions o = parse("--rounds", "5", "--window=500ms", "--skip-soak");
        assertThat(o.positiveInt("rounds", 3)).isEqualTo(5);
        assertThat(o.duration("window", Duration.ofSeconds(15))).isEqualTo(Duration.ofMillis(500));
        assertThat(o.flag("skip-soak")).isTrue();
        assertThat(o.positiveInts("levels", List.of(250))).containsExactly(250);

        BenchOptions minutes = parse("--window", "1.5m", "--levels", "100, 200");
        assertThat(minutes.duration("window", null)).isEqualTo(Duration.ofSeconds(90));
        assertThat(minutes.positiveInts("levels", null)).containsExactly(100, 200);
        assertThat(minutes.flag("skip-soak")).isFalse();
        assertThat(parse("--window", "20").duration("window", null))
                .isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void whatFollowsALoneDoubleDashIsPassedOn() {
        BenchOptions o = parse("--rounds", "2", "--", "--checkpoint-interval-ms", "1000");
        assertThat(o.positiveInt("rounds", 3)).isEqualTo(2);
        assertThat(o.passedOn()).containsExactly("--checkpoint-interval-ms", "1000");
        assertThat(parse("--rounds", "2").passedOn()).isEmpty();
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> parse("--color", "red")).hasMessage("unknown option --color");
        assertThatThrownBy(() -> parse("--rounds")).hasMessage("--rounds needs a value");
        assertThatThrownBy(() -> parse("--skip-soak=yes")).hasMessage("--skip-soak takes no value");
        assertThatThrownBy(() -> parse("rounds"))
                .hasMessage("expected an option (--name), found rounds");
        assertThatThrownBy(() -> parse("--rounds", "0").positiveInt("rounds", 3))
                .hasMessage("--rounds: expected a positive number, found 0");
        assertThatThrownBy(() -> parse("--window", "soon").duration("window", null))
                .hasMessage("--window: expected a positive duration (500ms, 20s, 10m), found soon");
        assertThatThrownBy(() -> parse("--levels", "100,-5").positiveInts("levels", null))
                .hasMessage(
                        "--levels: expected positive numbers separated by commas, found 100,-5");
    }
}
