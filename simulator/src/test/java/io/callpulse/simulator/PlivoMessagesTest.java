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
}
