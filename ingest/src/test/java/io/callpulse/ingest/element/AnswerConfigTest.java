package io.callpulse.ingest.element;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callpulse.ingest.IngestConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerConfigTest {

    private static final String URL_KEY = "callpulse.answer.stream.url";

    private static AnswerConfig read(Map<String, String> settings) {
        return AnswerConfig.fromLookup(settings::get);
    }

    @Test
    void withoutAStreamUrlThereIsNoAnswerEndpoint() {
        assertThat(read(Map.of())).isNull();
        assertThat(read(Map.of(URL_KEY, "  "))).isNull();
    }

    @Test
    void readsEverySettingIntoTheTemplate() {
        AnswerConfig config =
                read(
                        Map.of(
                                URL_KEY,
                                " wss://callpulse.example.com/stream ",
                                "callpulse.answer.audio.track",
                                "inbound",
                                "callpulse.answer.content.type",
                                "audio/x-l16;rate=16000",
                                "callpulse.answer.status.callback.url",
                                "https://callpulse.example.com/status",
                                "callpulse.answer.bidirectional",
                                "true",
                                "callpulse.answer.stream.timeout",
                                "7200",
                                "callpulse.answer.extra.headers",
                                "campaign=spring",
                                "callpulse.answer.forward.call.parameters",
                                "true"));

        assertThat(config.forwardCallParameters()).isTrue();
        assertThat(config.template().toXml())
                .isEqualTo(
                        "<Stream bidirectional=\"true\" audioTrack=\"inbound\""
                                + " streamTimeout=\"7200\""
                                + " statusCallbackUrl=\"https://callpulse.example.com/status\""
                                + " contentType=\"audio/x-l16;rate=16000\""
                                + " extraHeaders=\"campaign=spring\" keepCallAlive=\"true\">"
                                + "wss://callpulse.example.com/stream</Stream>");
    }

    @Test
    void keepsTheCallAliveAndForwardsNothingUnlessToldOtherwise() {
        AnswerConfig defaults = read(Map.of(URL_KEY, "wss://callpulse.example.com/stream"));
        AnswerConfig told =
                read(
                        Map.of(
                                URL_KEY,
                                "wss://callpulse.example.com/stream",
                                "callpulse.answer.keep.call.alive",
                                "false",
                                "callpulse.answer.forward.call.parameters",
                                "false"));

        assertThat(defaults.forwardCallParameters()).isFalse();
        assertThat(defaults.template().attributes()).isEqualTo(Map.of("keepCallAlive", "true"));
        assertThat(told.forwardCallParameters()).isFalse();
        assertThat(told.template().attributes()).isEqualTo(Map.of("keepCallAlive", "false"));
    }

    @Test
    void aSettingThatBreaksARuleFailsWithTheBuildersMessage() {
        Map<String, String> settings = new HashMap<>();
        settings.put(URL_KEY, "https://callpulse.example.com/stream");
        settings.put("callpulse.answer.bidirectional", "true");
        settings.put("callpulse.answer.audio.track", "both");

        assertThatThrownBy(() -> read(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "callpulse.answer.*: url: expected a ws:// or wss:// URL with a host,"
                                + " found https://callpulse.example.com/stream; audioTrack:"
                                + " expected inbound when bidirectional is true, found both");
    }

    @Test
    void forwardingIsTrueOrFalse() {
        assertThatThrownBy(
                        () ->
                                read(
                                        Map.of(
                                                URL_KEY,
                                                "wss://callpulse.example.com/stream",
                                                "callpulse.answer.forward.call.parameters",
                                                "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "callpulse.answer.forward.call.parameters: expected true or false, found"
                                + " yes");
    }

    @Test
    void theIngestConfigurationReadsItFromSystemProperties() {
        System.setProperty(URL_KEY, "wss://callpulse.example.com/stream");
        System.setProperty("callpulse.answer.audio.track", "both");
        try {
            AnswerConfig answer = IngestConfig.fromEnvironment().answer();

            assertThat(answer.template().toXml())
                    .isEqualTo(
                            "<Stream audioTrack=\"both\" keepCallAlive=\"true\">"
                                    + "wss://callpulse.example.com/stream</Stream>");
        } finally {
            System.clearProperty(URL_KEY);
            System.clearProperty("callpulse.answer.audio.track");
        }
        assertThat(IngestConfig.fromEnvironment().answer()).isNull();
    }
}
