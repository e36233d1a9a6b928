package io.callpulse.ingest.callback;

import io.callpulse.ingest.BoundedLruMap;
import io.callpulse.ingest.DeadLetters;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.plivo.ExtraHeaders;
import io.callpulse.records.StreamEvent;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Plivo's stream status callbacks ({@code statusCallbackUrl}) turned into stream events. It knows
 * nothing of HTTP, so it is tested on its own.
 *
 * <p>Plivo retries callbacks, so a callback is recorded once per (StreamID, Event, Timestamp); this
 * instance remembers the {@value #REMEMBERED_CALLBACKS} it has seen most recently.
 */
public final class StatusCallbacks {

    static final int REMEMBERED_CALLBACKS = 100_000;

    /** The event types callbacks are recorded as (see {@link #eventType}), for the metrics. */
    public static final Set<String> EVENT_TYPES =
            Set.of(
                    "StartStream",
                    "StopStream",
                    "DroppedStream",
                    "DegradedStream",
                    "PlayedStream",
                    "ClearedAudio");

    private static final DateTimeFormatter PLIVO_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** What became of a callback. */
    public enum Outcome {
        RECORDED,
        DUPLICATE,
        REFUSED
    }

    private final RecordSink sink;
    private final LongSupplier clock;
    private final BoundedLruMap<String, Boolean> seen = new BoundedLruMap<>(REMEMBERED_CALLBACKS);

    public StatusCallbacks(RecordSink sink, LongSupplier clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Records one callback.
     *
     * @param params every parameter sent (form body or query), first value of each kept
     * @param raw the request as received, for the dead-letter topic
     */
    public Outcome accept(Map<String, List<String>> params, String raw) {
        long receivedAtMs = clock.getAsLong();
        Map<String, String> attributes = new LinkedHashMap<>();
        params.forEach((k, v) -> attributes.put(k, v.isEmpty() ? "" : v.get(0)));
        String streamId = attributes.get("StreamID");
        String event = attributes.get("Event");
        if (streamId == null || streamId.isBlank() || event == null || event.isBlank()) {
            sink.deadLetter(
                    DeadLetters.of(
                            (streamId == null || streamId.isBlank() ? "StreamID" : "Event")
                                    + ": a status callback needs it, found none",
                            streamId,
                            receivedAtMs,
                            raw));
            return Outcome.REFUSED;
        }
        String timestamp = attributes.getOrDefault("Timestamp", "");
        if (seen.putIfAbsent(streamId + '\u0000' + event + '\u0000' + timestamp, true) != null) {
            return Outcome.DUPLICATE;
        }
        Map<String, String> extraHeaders;
        try {
            extraHeaders = ExtraHeaders.parse(attributes.get("ExtraHeaders"));
        } catch (IllegalArgumentException e) {
            extraHeaders = Map.of(); // still kept raw in the attributes
        }
        sink.event(
                new StreamEvent(
                        eventType(event),
                        StreamEvent.Sources.STATUS_CALLBACK,
                        streamId,
                        attributes.get("CallUUID"),
                        null,
                        parseTimestamp(timestamp),
                        receivedAtMs,
                        null,
                        null,
                        null,
                        extraHeaders,
                        null,
                        null,
                        null,
                        Map.copyOf(attributes)));
        return Outcome.RECORDED;
    }

    /**
     * The event's name in the seed's scheme; the newer scheme's names map onto it, anything else is
     * kept as sent. The raw value stays in the attributes under {@code Event}.
     */
    static String eventType(String event) {
        return switch (event.trim()) {
            case "started", "StartStream" -> "StartStream";
            case "stopped", "StopStream" -> "StopStream";
            case "failed", "DroppedStream" -> "DroppedStream";
            default -> event.trim();
        };
    }

    /**
     * Epoch ms of a callback's Timestamp: Plivo's {@code 2024-10-14 13:42:33} (UTC) or ISO-8601
     * with or without a zone (UTC when none); {@code null} when absent or unreadable (the raw value
     * stays in the attributes).
     */
    static Long parseTimestamp(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            return LocalDateTime.parse(text, PLIVO_TIMESTAMP)
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        } catch (DateTimeParseException notPlivos) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
                } catch (DateTimeParseException unreadable) {
                    return null;
                }
            }
        }
    }
}
