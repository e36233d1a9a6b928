package io.callpulse.ingest.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.records.StreamEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCallbacksTest {

    private final CollectingSink sink = new CollectingSink();
    private final StatusCallbacks callbacks = new StatusCallbacks(sink, () -> 5_000L);

    private static Map<String, List<String>> params(String... keysAndValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put(keysAndValues[i], List.of(keysAndValues[i + 1]));
        }
        return params;
    }

    @Test
    void aDroppedStreamAsPlivoLoggedItIsRecordedWithEveryParameter() {
        Map<String, List<String>> dropped =
                params(
                        "Event", "DroppedStream",
                        "Error", "connection disconnected with the remote service",
                        "CallUUID", "u1",
                        "From", "14849386985",
                        "To", "sip:something@phone.plivo.com",
                        "ServiceURL", "wss://example.com/stream",
                        "ExtraHeaders", "a=1,b=2",
                        "StreamID", "s1",
                        "Timestamp", "2024-10-14 13:42:33",
                        "ParentAuthID", "MA1");
        assertThat(callbacks.accept(dropped, "raw")).isEqualTo(StatusCallbacks.Outcome.RECORDED);
        StreamEvent event = sink.events.get(0);
        assertThat(event.type()).isEqualTo("DroppedStream");
        assertThat(event.source()).isEqualTo("status-callback");
        assertThat(event.streamId()).isEqualTo("s1");
        assertThat(event.callId()).isEqualTo("u1");
        assertThat(event.eventTimeMs()).isEqualTo(1_728_913_353_000L);
        assertThat(event.receivedAtMs()).isEqualTo(5_000L);
        assertThat(event.extraHeaders()).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(event.attributes())
                .hasSize(10)
                .containsEntry("Error", "connection disconnected with the remote service")
                .containsEntry("ParentAuthID", "MA1")
                .containsEntry("Event", "DroppedStream");
    }

    @Test
    void aRetriedCallbackIsRecordedOnce() {
        Map<String, List<String>> start =
                params(
                        "Event",
                        "StartStream",
                        "StreamID",
                        "s1",
                        "Timestamp",
                        "2024-10-14 13:42:33");
        assertThat(callbacks.accept(start, "raw")).isEqualTo(StatusCallbacks.Outcome.RECORDED);
        assertThat(callbacks.accept(start, "raw")).isEqualTo(StatusCallbacks.Outcome.DUPLICATE);
        Map<String, List<String>> later =
                params(
                        "Event",
                        "StartStream",
                        "StreamID",
                        "s1",
                        "Timestamp",
                        "2024-10-14 13:42:34");
        assertThat(callbacks.accept(later, "raw")).isEqualTo(StatusCallbacks.Outcome.RECORDED);
        assertThat(sink.events).hasSize(2);
    }

    @Test
    void bothEventNamingSchemesMapOntoOneAndKeepTheRawValue() {
        assertThat(StatusCallbacks.eventType("started")).isEqualTo("StartStream");
        assertThat(StatusCallbacks.eventType("stopped")).isEqualTo("StopStream");
        assertThat(StatusCallbacks.eventType("failed")).isEqualTo("DroppedStream");
        assertThat(StatusCallbacks.eventType("DegradedStream")).isEqualTo("DegradedStream");
        assertThat(StatusCallbacks.eventType("PlayedStream")).isEqualTo("PlayedStream");
        assertThat(StatusCallbacks.eventType("ClearedAudio")).isEqualTo("ClearedAudio");
        callbacks.accept(
                params(
                        "Event",
                        "failed",
                        "StreamID",
                        "s2",
                        "StatusReason",
                        "x",
                        "Timestamp",
                        "2024-10-14T13:42:33Z"),
                "raw");
        assertThat(sink.events.get(0).type()).isEqualTo("DroppedStream");
        assertThat(sink.events.get(0).attributes()).containsEntry("Event", "failed");
        assertThat(sink.events.get(0).eventTimeMs()).isEqualTo(1_728_913_353_000L);
    }

    @Test
    void readsBothTimestampForms() {
        assertThat(StatusCallbacks.parseTimestamp("2024-10-14 13:42:33"))
                .isEqualTo(1_728_913_353_000L);
        assertThat(StatusCallbacks.parseTimestamp("2024-10-14T13:42:33Z"))
                .isEqualTo(1_728_913_353_000L);
        assertThat(StatusCallbacks.parseTimestamp("2024-10-14T15:42:33.250+02:00"))
                .isEqualTo(1_728_913_353_250L);
        assertThat(StatusCallbacks.parseTimestamp("2024-10-14T13:42:33"))
                .isEqualTo(1_728_913_353_000L);
        assertThat(StatusCallbacks.parseTimestamp("yesterday")).isNull();
        assertThat(StatusCallbacks.parseTimestamp(null)).isNull();
    }

    @Test
    void aCallbackWithoutStreamIdIsRefusedAndDeadLettered() {
        assertThat(callbacks.accept(params("Event", "StartStream"), "Event=StartStream"))
                .isEqualTo(StatusCallbacks.Outcome.REFUSED);
        assertThat(sink.events).isEmpty();
        assertThat(sink.deadLetters.get(0).reason())
                .isEqualTo("StreamID: a status callback needs it, found none");
        assertThat(sink.deadLetters.get(0).raw()).isEqualTo("Event=StartStream");
    }
}
