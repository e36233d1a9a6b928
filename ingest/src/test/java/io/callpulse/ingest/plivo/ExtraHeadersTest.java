package io.callpulse.ingest.plivo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExtraHeadersTest {

    @Test
    void readsCommaSeparatedPairs() {
        assertThat(ExtraHeaders.parse("test1=12,test2=123"))
                .containsExactly(
                        java.util.Map.entry("test1", "12"), java.util.Map.entry("test2", "123"));
    }

    @Test
    void readsSemicolonSeparatedPairs() {
        assertThat(ExtraHeaders.parse("userId=12345;sessionId=abc"))
                .containsExactly(
                        java.util.Map.entry("userId", "12345"),
                        java.util.Map.entry("sessionId", "abc"));
    }

    @Test
    void readsAJsonObjectString() {
        assertThat(ExtraHeaders.parse("{\"a\":\"1\",\"b\":2}"))
                .containsExactly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "2"));
        assertThat(ExtraHeaders.parse("{}")).isEmpty();
    }

    @Test
    void blankOrMissingIsEmpty() {
        assertThat(ExtraHeaders.parse(null)).isEmpty();
        assertThat(ExtraHeaders.parse("  ")).isEmpty();
    }

    @Test
    void refusesAPairWithoutEqualsSign() {
        assertThatThrownBy(() -> ExtraHeaders.parse("a=1,oops"))
                .hasMessage(
                        "extra_headers: expected key=value pairs separated by ',' or ';', found"
                                + " 'oops'");
    }
}
