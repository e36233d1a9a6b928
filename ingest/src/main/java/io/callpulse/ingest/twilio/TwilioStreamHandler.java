package io.callpulse.ingest.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.protocol.JsonFields;
import io.callpulse.ingest.protocol.JsonStreamProtocol;
import io.callpulse.ingest.protocol.StreamSession;
import io.callpulse.records.StreamEvent;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Twilio's Media Streams protocol for one WebSocket connection, written as the same records as
 * Plivo's so that one pipeline reads both. Twilio's names map onto Plivo's: {@code streamSid} is
 * the stream id, {@code callSid} the call, {@code accountSid} the account, {@code
 * start.customParameters} the extra headers; {@code media.timestamp} counts ms from the stream's
 * start and {@code sequenceNumber}, {@code chunk} and {@code timestamp} arrive as strings.
 */
public final class TwilioStreamHandler extends JsonStreamProtocol {

    /** The provider, in the start event's attributes: one pipeline reads both. */
    public static final String PROVIDER = "twilio";

    /** The events Twilio's Media Streams send. */
    public static final Set<String> EVENTS =
            Set.of("connected", "start", "media", "stop", "dtmf", "mark");

    private static final int SAMPLE_RATE = 8000;

    /** The {@code connected} message's fields, for the start event: it names no stream. */
    private Map<String, String> connected = Map.of();

    public TwilioStreamHandler(RecordSink sink, LongSupplier clock) {
        // Twilio's media.timestamp is always ms since the stream started
        super(
                clock,
                new StreamSession(
                        sink, "streamSid", (timestamp, startEpochMs) -> startEpochMs + timestamp),
                EVENTS);
    }

    @Override
    protected void dispatch(String raw, JsonNode message, long receivedAtMs) {
        String event = JsonFields.eventName(message);
        switch (event) {
            case "connected" -> onConnected(message, receivedAtMs);
            case "start" -> onStart(message, receivedAtMs);
            case "media" -> session.media(raw, message, receivedAtMs);
            case "stop" -> {
                session.stopSeen();
                observe(StreamEvent.Types.STOP, message, receivedAtMs);
            }
            case "dtmf" -> {
                // a key press without its key says nothing
                JsonFields.requiredText(message.path("dtmf"), "dtmf.digit");
                observe(StreamEvent.Types.DTMF, message, receivedAtMs);
            }
            case "mark" -> {
                // the name is what ties the echo to the mark the server sent
                JsonFields.requiredText(message.path("mark"), "mark.name");
                observe(StreamEvent.Types.MARK, message, receivedAtMs);
            }
            // events Twilio may add are passed on as they are: never fatal
            default -> observe(event, message, receivedAtMs);
        }
    }

    /**
     * {@code connected} comes first and names no stream, so it cannot be an event of its own: its
     * protocol and version go into the start event. One after start is passed on as an event.
     */
    private void onConnected(JsonNode message, long receivedAtMs) {
        if (session.started()) {
            observe("connected", message, receivedAtMs);
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        JsonFields.flatten(message).forEach((key, value) -> fields.put("connected." + key, value));
        fields.remove("connected.event");
        connected = fields;
    }

    /**
     * Twilio gives no time with dtmf, mark and stop, so their events carry none (as Plivo's stop):
     * {@code receivedAtMs} says when they came.
     */
    private void observe(String type, JsonNode message, long receivedAtMs) {
        session.observe(type, message, message.path("streamSid").asText(null), null, receivedAtMs);
    }

    private void onStart(JsonNode message, long receivedAtMs) {
        session.requireNotStarted();
        JsonNode start = JsonFields.requiredObject(message, "start");
        String streamSid = JsonFields.requiredText(start, "start.streamSid");
        JsonNode format = start.path("mediaFormat");
        String encoding = JsonFields.requiredText(format, "start.mediaFormat.encoding");
        if (!AudioEncoding.MULAW.mimeType().equalsIgnoreCase(encoding.trim())) {
            throw new IllegalArgumentException(
                    "start.mediaFormat.encoding: expected "
                            + AudioEncoding.MULAW.mimeType()
                            + ", the only encoding Twilio streams, found "
                            + JsonFields.describe(format.path("encoding")));
        }
        long rate = JsonFields.requiredLong(format, "start.mediaFormat.sampleRate");
        if (rate != SAMPLE_RATE) {
            throw new IllegalArgumentException(
                    "start.mediaFormat.sampleRate: expected " + SAMPLE_RATE + ", found " + rate);
        }
        // absent is read as mono; more channels would interleave samples the pipeline reads as one
        if (!format.path("channels").isMissingNode()) {
            long channels = JsonFields.requiredLong(format, "start.mediaFormat.channels");
            if (channels != 1) {
                throw new IllegalArgumentException(
                        "start.mediaFormat.channels: expected 1, found " + channels);
            }
        }
        JsonNode customParameters = start.path("customParameters");
        if (!customParameters.isMissingNode() && !customParameters.isObject()) {
            throw new IllegalArgumentException(
                    "start.customParameters: expected an object, found "
                            + JsonFields.describe(customParameters));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("provider", PROVIDER);
        attributes.putAll(connected);
        session.start(
                StreamEvent.started(
                                streamSid,
                                start.path("callSid").asText(null),
                                start.path("accountSid").asText(null),
                                receivedAtMs,
                                JsonFields.texts(start.path("tracks")),
                                AudioEncoding.MULAW.mimeType(),
                                SAMPLE_RATE,
                                JsonFields.flatten(customParameters))
                        .withAttributes(attributes));
    }
}
