package io.callpulse.ingest.plivo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.records.Json;
import java.util.Map;
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
    void readsAStringOrAnObjectAsItArrivesOnAMessage() throws Exception {
        JsonNode message =
                Json.mapper()
                        .readTree(
                                "{\"s\":\"a=1;b=2\",\"o\":{\"a\":\"1\",\"n\":{\"x\":1}},"
                                        + "\"z\":null,\"num\":5}");

        assertThat(ExtraHeaders.read(message.path("s")))
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(ExtraHeaders.read(message.path("o")))
                .containsExactly(Map.entry("a", "1"), Map.entry("n", "{\"x\":1}"));
        assertThat(ExtraHeaders.read(message.path("z"))).isEmpty();
        assertThat(ExtraHeaders.read(message.path("absent"))).isEmpty();
        assertThatThrownBy(() -> ExtraHeaders.read(message.path("num")))
                .hasMessage(
                        "extra_headers: expected a string of key=value pairs or an object, found"
                                + " 5");
    }

    @Test
    void refusesAPairWithoutEqualsSign() {
        assertThatThrownBy(() -> ExtraHeaders.parse("a=1,oops"))
                .hasMessage(
                        "extra_headers: expected key=value pairs separated by ',' or ';', found"
                                + " 'oops'");
    }
}
