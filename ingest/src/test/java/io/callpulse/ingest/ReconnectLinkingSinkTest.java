package io.callpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.records.StreamEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconnectLinkingSinkTest {

    private final CollectingSink collected = new CollectingSink();
    private final ReconnectLinkingSink sink = new ReconnectLinkingSink(collected, 2);

    private static StreamEvent start(String streamId, String callId) {
        return StreamEvent.started(
                streamId,
                callId,
                "acc",
                1_000L,
                List.of("inbound"),
                "audio/x-mulaw",
                8000,
                Map.of());
    }

    @Test
    void aSecondStreamOfTheSameCallNamesTheFirst() {
        sink.event(start("s1", "call-a"));
        sink.event(start("s2", "call-a"));
        sink.event(start("s3", "call-a"));

        assertThat(collected.events.get(0).attributes()).isNull();
        assertThat(collected.events.get(1).attributes())
                .isEqualTo(Map.of(ReconnectLinkingSink.PREVIOUS_STREAM_ID, "s1"));
        assertThat(collected.events.get(2).attributes())
                .isEqualTo(Map.of(ReconnectLinkingSink.PREVIOUS_STREAM_ID, "s2"));
        assertThat(collected.events.get(1).streamId()).isEqualTo("s2");
    }

    @Test
    void otherCallsAndOtherEventsAreNotLinked() {
        sink.event(start("s1", "call-a"));
        sink.event(start("s2", "call-b"));
        sink.event(StreamEvent.closed("s1", "call-a", 2_000L, 1006, "", false));

        assertThat(collected.events).extracting(StreamEvent::attributes).containsOnlyNulls();
    }

    @Test
    void remembersOnlyTheMostRecentCalls() {
        sink.event(start("s1", "call-a"));
        sink.event(start("s2", "call-b"));
        sink.event(start("s3", "call-c")); // call-a is forgotten (capacity 2)
        sink.event(start("s4", "call-a"));

        assertThat(collected.events.get(3).attributes()).isNull();
    }
}
