package io.callpulse.bench.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediansTest {

    @Test
    void oddCountIsTheMiddleValue() {
        assertThat(Medians.of(List.of(3.0, 100.0, 1.0))).isEqualTo(3.0);
    }

    @Test
    void evenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Medians.of(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> Medians.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("median: expected at least one value, found none");
    }
}
