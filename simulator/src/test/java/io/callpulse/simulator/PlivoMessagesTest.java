package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlivoMessagesTest {

    private static final PlivoCall CALL =
            new PlivoCall(
                    "stream-1",
                    "call-1",
                    StreamFormat.MULAW_8K,
                    new short[160],
                    new short[160],
                    "a=1");

    @Test
    void startHasTheShapeOfPlivosReference() {
        assertThat(PlivoMessages.start(CALL, 1))
                .isEqualTo(
                        "{\"event\":\"start\",\"sequenceNumber\":1,\"start\":{\"callId\":\"call-1\","
                            + "\"streamId\":\"stream-1\",\"accountId\":\"MAXXXXXXXXXXXXXXXXXX\","
                            + "\"tracks\":[\"inbound\",\"outbound\"],\"mediaFormat\":{"
                            + "\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000}},"
                            + "\"extra_headers\":\"a=1\"}");
    }

    @Test
    void mediaCarriesTheTimestampAsAStringAndTheChunkAsANumber() {
        assertThat(
                        PlivoMessages.media(
                                CALL, 42, "outbound", 1705312200000L, 41, new byte[] {(byte) 0xFF}))
                .isEqualTo(
                        "{\"event\":\"media\",\"sequenceNumber\":42,\"streamId\":\"stream-1\","
                            + "\"media\":{\"track\":\"outbound\",\"timestamp\":\"1705312200000\","
                            + "\"chunk\":41,\"payload\":\"/w==\"},\"extra_headers\":\"a=1\"}");
    }

    @Test
    void theMediaWriterWritesTheSameBytesAsTheJsonTree() {
        PlivoCall quoted =
                new PlivoCall(
                        "s\"1", "c", StreamFormat.MULAW_8K, new short[160], null, "{\"k\":\"v\"}");
        byte[] payload = {1, 2, (byte) 0xFF};
        assertThat(
                        new PlivoMessages.MediaWriter(quoted.streamId(), quoted.extraHeaders())
                                .media(7, "inbound", 1705312200000L, 3, "AQL/"))
                .isEqualTo(PlivoMessages.media(quoted, 7, "inbound", 1705312200000L, 3, payload));
        assertThat(new PlivoMessages.MediaWriter("s", null).media(1, "outbound", 5, 1, "AA=="))
                .isEqualTo(
                        "{\"event\":\"media\",\"sequenceNumber\":1,\"streamId\":\"s\",\"media\":"
                                + "{\"track\":\"outbound\",\"timestamp\":\"5\",\"chunk\":1,"
                                + "\"payload\":\"AA==\"}}");
    }

    @Test
    void dtmfCarriesItsDigitAndATimestampString() {
        assertThat(PlivoMessages.dtmf("stream-1", 50, "inbound", "5", 1705312250000L, "a=1"))
                .isEqualTo(
                        "{\"event\":\"dtmf\",\"sequenceNumber\":50,\"streamId\":\"stream-1\","
                                + "\"dtmf\":{\"track\":\"inbound\",\"digit\":\"5\","
                                + "\"timestamp\":\"1705312250000\"},\"extra_headers\":\"a=1\"}");
    }

    @Test
    void stopNamesTheStreamAtTopLevelAndInsideStop() {
        assertThat(PlivoMessages.stop(CALL, 9))
                .isEqualTo(
                        "{\"event\":\"stop\",\"sequenceNumber\":9,\"streamId\":\"stream-1\","
                                + "\"stop\":{\"callId\":\"call-1\",\"streamId\":\"stream-1\","
                                + "\"tracks\":[\"inbound\",\"outbound\"]}}");
    }

    @Test
    void answersToTheBotHaveTheReferencesShape() {
        assertThat(PlivoMessages.playedStream("stream-1", 75, "greeting-complete"))
                .isEqualTo(
                        "{\"event\":\"playedStream\",\"sequenceNumber\":75,"
                                + "\"streamId\":\"stream-1\",\"name\":\"greeting-complete\"}");
        assertThat(PlivoMessages.clearedAudio("stream-1", 80))
                .isEqualTo(
                        "{\"event\":\"clearedAudio\",\"sequenceNumber\":80,"
                                + "\"streamId\":\"stream-1\"}");
        assertThat(PlivoMessages.unknownEvent("stream-1", 3, "muteStream"))
                .isEqualTo(
                        "{\"event\":\"muteStream\",\"sequenceNumber\":3,\"streamId\":\"stream-1\"}");
    }
}
