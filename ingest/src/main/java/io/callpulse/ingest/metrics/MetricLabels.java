package io.callpulse.ingest.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.ingest.DeadLetters;
import io.callpulse.ingest.callback.StatusCallbacks;
import io.callpulse.ingest.plivo.PlivoStreamHandler;
import io.callpulse.ingest.twilio.TwilioStreamHandler;
import io.callpulse.records.StreamEvent;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

/**
 * The label values of the ingest's metrics, each from a bounded set: what senders put on the wire
 * (event names, reasons) never becomes a label as it is, or one sender could make the series
 * unbounded.
 */
public final class MetricLabels {

    /** A message or record of a type outside the known set. */
    public static final String OTHER = "other";

    /** A message that could not be read as one (not JSON, binary, too big, after the close). */
    public static final String INVALID = "invalid";

    /** The record type of an audio record, and of the end-of-stream marker. */
    public static final String MEDIA = "media";

    public static final String END_OF_STREAM = "end_of_stream";

    /**
     * Every record type the ingest writes under a known name: audio, the event types callpulse
     * knows, the providers' events it passes on, the status callbacks', and dead letters (by
     * stage).
     */
    static final Set<String> RECORD_TYPES = recordTypes();

    private MetricLabels() {}

    /**
     * @param message the message as parsed, or {@code null} when it could not be read
     * @param knownEvents the event names of the message's dialect
     */
    public static String messageType(JsonNode message, Set<String> knownEvents) {
        if (message == null) {
            return INVALID;
        }
        String event = message.path("event").asText("");
        return knownEvents.contains(event) ? event : OTHER;
    }

    /** The record's type when known, else {@value #OTHER}. */
    public static String recordType(String type) {
        return RECORD_TYPES.contains(type) ? type : OTHER;
    }

    /**
     * The field a reason names: the text before its first colon, such as {@code media.payload};
     * {@value #OTHER} for a reason without one.
     */
    public static String rejectReason(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : OTHER;
    }

    private static Set<String> recordTypes() {
        Set<String> types = new HashSet<>();
        types.add(MEDIA);
        types.add(END_OF_STREAM);
        types.add(DeadLetters.STAGE);
        for (Field field : StreamEvent.Types.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    types.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("public constants are readable", e);
                }
            }
        }
        types.addAll(PlivoStreamHandler.EVENTS);
        types.addAll(TwilioStreamHandler.EVENTS);
        types.addAll(StatusCallbacks.EVENT_TYPES);
        return Set.copyOf(types);
    }
}
