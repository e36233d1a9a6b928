package io.callpulse.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every JSON record written to a topic reads back equal, with the field names documented. */
class JsonRecordsTest {

    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        return Json.mapper().readValue(Json.mapper().writeValueAsBytes(value), type);
    }

    @Test
    void startEventRoundTrips() throws Exception {
        StreamEvent start =
                StreamEvent.started(
                        "s1",
                        "c1",
                        "MA1",
                        1_000L,
                        List.of("inbound", "outbound"),
                        "audio/x-mulaw",
                        8000,
                        Map.of("userId", "12345"));
        assertThat(roundTrip(start, StreamEvent.class)).isEqualTo(start);
        assertThat(Json.mapper().writeValueAsString(start))
                .isEqualTo(
                        "{\"type\":\"start\",\"source\":\"websocket\",\"streamId\":\"s1\","
                                + "\"callId\":\"c1\",\"accountId\":\"MA1\",\"eventTimeMs\":1000,"
                                + "\"receivedAtMs\":1000,\"tracks\":[\"inbound\",\"outbound\"],"
                                + "\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,"
                                + "\"extraHeaders\":{\"userId\":\"12345\"}}");
    }

    @Test
    void aStartWithAttributesKeepsEveryOtherFieldAndRoundTrips() throws Exception {
        StreamEvent start =
                StreamEvent.started(
                                "s1",
                                "c1",
                                "AC1",
                                1_000L,
                                List.of("inbound"),
                                "audio/x-mulaw",
                                8000,
                                Map.of())
                        .withAttributes(Map.of("provider", "twilio"));
        assertThat(roundTrip(start, StreamEvent.class)).isEqualTo(start);
        assertThat(Json.mapper().writeValueAsString(start))
                .isEqualTo(
                        "{\"type\":\"start\",\"source\":\"websocket\",\"streamId\":\"s1\","
                                + "\"callId\":\"c1\",\"accountId\":\"AC1\",\"eventTimeMs\":1000,"
                                + "\"receivedAtMs\":1000,\"tracks\":[\"inbound\"],"
                                + "\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,"
                                + "\"extraHeaders\":{},\"attributes\":{\"provider\":\"twilio\"}}");
    }

    @Test
    void closedEventRoundTrips() throws Exception {
        StreamEvent closed = StreamEvent.closed("s1", "c1", 2_000L, 1006, "", false);
        StreamEvent back = roundTrip(closed, StreamEvent.class);
        assertThat(back).isEqualTo(closed);
        assertThat(back.closeCode()).isEqualTo(1006);
        assertThat(back.closeReason()).isNull();
        assertThat(back.stopSeen()).isFalse();
    }

    @Test
    void windowMetricsRoundTrip() throws Exception {
        WindowMetrics metrics =
                new WindowMetrics(
                        "s1",
                        1000,
                        2000,
                        new CallContext(
                                "c1",
                                "+4411",
                                null,
                                Map.of("a", "1"),
                                List.of("inbound", "outbound"),
                                "audio/x-mulaw",
                                8000),
                        new TrackWindowMetrics(
                                50,
                                -20.0,
                                40,
                                800,
                                0.2,
                                -19.5,
                                null,
                                null,
                                -17.0,
                                0.0,
                                new ChunkHealth(50, 1, 2, 3, 4, 1.5, 40)),
                        null,
                        new ConversationWindowMetrics(
                                100,
                                200,
                                1,
                                2,
                                3,
                                4,
                                1,
                                3000,
                                500,
                                1,
                                2,
                                new long[] {300},
                                new long[0]));
        assertThat(roundTrip(metrics, WindowMetrics.class)).isEqualTo(metrics);
        assertThat(Json.mapper().writeValueAsString(metrics))
                .isEqualTo(
                        "{\"streamId\":\"s1\",\"windowStartMs\":1000,\"windowEndMs\":2000,\"call\":{\"call"
                            + "Id\":\"c1\",\"from\":\"+4411\",\"extraHeaders\":{\"a\":\"1\"},\"tracks\":[\"inbound\",\""
                            + "outbound\"],\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000},\"inbound\":{\"f"
                            + "rames\":50,\"meanLevelDbfs\":-20.0,\"speechFrames\":40,\"talkMs\":800,\"silenc"
                            + "eRatio\":0.2,\"speechLevelDbfs\":-19.5,\"peakDbfs\":-17.0,\"clippingRatio\":0"
                            + ".0,\"health\":{\"received\":50,\"missing\":1,\"duplicates\":2,\"reordered\":3,\"l"
                            + "ate\":4,\"jitterMs\":1.5,\"longestGapMs\":40}},\"conversation\":{\"bothSpeakin"
                            + "gMs\":100,\"bothSilentMs\":200,\"interruptionsByInbound\":1,\"interruptionsB"
                            + "yOutbound\":2,\"backchannelsByInbound\":3,\"backchannelsByOutbound\":4,\"dea"
                            + "dAirEpisodes\":1,\"longestDeadAirMs\":3000,\"ongoingSilenceMs\":500,\"inboun"
                            + "dTurns\":1,\"outboundTurns\":2,\"agentResponseMs\":[300],\"callerResponseMs\""
                            + ":[]}}");
    }

    @Test
    void deadLetterRoundTrips() throws Exception {
        DeadLetter letter = new DeadLetter("ingest", "media.chunk: expected", "s1", 5L, "{}");
        assertThat(roundTrip(letter, DeadLetter.class)).isEqualTo(letter);
    }

    @Test
    void readersIgnoreFieldsAddedByNewerWriters() throws Exception {
        DeadLetter letter =
                Json.mapper()
                        .readValue(
                                "{\"stage\":\"job\",\"reason\":\"r\",\"receivedAtMs\":1,\"raw\":\"x\",\"newField\":3}",
                                DeadLetter.class);
        assertThat(letter).isEqualTo(new DeadLetter("job", "r", null, 1L, "x"));
    }

    @Test
    void topicNamesHaveDefaultsAndOverrides() {
        assertThat(TopicNames.defaults().all())
                .containsExactly(
                        "callpulse.audio",
                        "callpulse.events",
                        "callpulse.metrics",
                        "callpulse.deadletter",
                        "callpulse.summaries",
                        "callpulse.alerts");
        TopicNames renamed =
                TopicNames.fromLookup(
                        key ->
                                switch (key) {
                                    case "topic.metrics" -> "m2";
                                    case "topic.alerts" -> "a2";
                                    default -> null;
                                });
        assertThat(renamed.metrics()).isEqualTo("m2");
        assertThat(renamed.alerts()).isEqualTo("a2");
        assertThat(renamed.audio()).isEqualTo("callpulse.audio");
    }

    @Test
    void alertRoundTrips() throws Exception {
        Alert alert =
                new Alert(
                        Alert.idOf("s1", Alert.Types.STREAM_DROPPED, 5_000L),
                        Alert.Types.STREAM_DROPPED,
                        Alert.Severities.CRITICAL,
                        Alert.FIRING,
                        "s1",
                        "c1",
                        "+441",
                        null,
                        Map.of("a", "1"),
                        5_000L,
                        5_100L,
                        Map.of("reason", "DroppedStream callback"));
        assertThat(alert.id()).isEqualTo("s1:STREAM_DROPPED:5000");
        assertThat(roundTrip(alert, Alert.class)).isEqualTo(alert);
    }

    @Test
    void summaryRoundTrips() throws Exception {
        StreamSummary summary =
                new StreamSummary(
                        "s1",
                        new CallContext("c1", null, null, Map.of(), List.of("inbound"), null, 8000),
                        1L,
                        6001L,
                        6000,
                        "DroppedStream",
                        "Stream timeout",
                        1006,
                        List.of("StartStream", "DroppedStream"),
                        List.of(Alert.Types.STREAM_DROPPED),
                        new StreamSummary.TrackSummary(
                                300,
                                100,
                                2000,
                                0.66,
                                -20.0,
                                -60.0,
                                40.0,
                                -17.0,
                                0.0,
                                new ChunkHealth(300, 1, 0, 2, 0, 0.5, 21)),
                        null,
                        null);
        assertThat(roundTrip(summary, StreamSummary.class)).isEqualTo(summary);
    }
}
