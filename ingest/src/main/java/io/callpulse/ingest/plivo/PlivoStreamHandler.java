package io.callpulse.ingest.plivo;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.protocol.JsonFields;
import io.callpulse.ingest.protocol.JsonStreamProtocol;
import io.callpulse.ingest.protocol.StreamSession;
import io.callpulse.records.StreamEvent;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Plivo's audio-stream protocol for one WebSocket connection: turns its JSON messages into audio
 * records and stream events. It knows nothing of sockets or Kafka, so it is tested on its own.
 */
public final class PlivoStreamHandler extends JsonStreamProtocol {

    /** Media messages held while waiting for a late {@code start}. */
    static final int MAX_MEDIA_BEFORE_START = StreamSession.MAX_MEDIA_BEFORE_START;

    /**
     * The events Plivo sends: its reference's, {@code stop} as some SDKs model it, and the
     * undocumented ones seen in its own code ({@code played} is {@code playedStream}'s alias).
     */
    public static final Set<String> EVENTS =
            Set.of(
                    "start",
                    "media",
                    "stop",
                    "dtmf",
                    "playedStream",
                    "played",
                    "clearedAudio",
                    "playFailed",
                    "error",
                    "muteStream",
                    "unmuteStream");

    public PlivoStreamHandler(RecordSink sink, LongSupplier clock) {
        // Plivo's media.timestamp is epoch ms or ms since the start, depending on the document
        super(clock, new StreamSession(sink, "streamId", MediaTimestamps::toEpochMs), EVENTS);
    }

    @Override
    protected void dispatch(String raw, JsonNode message, long receivedAtMs) {
        String event = JsonFields.eventName(message);
        switch (event) {
            case "start" -> onStart(message, receivedAtMs);
            case "media" -> session.media(raw, message, receivedAtMs);
            case "stop" -> {
                session.stopSeen();
                onOtherEvent(StreamEvent.Types.STOP, message, null, receivedAtMs);
            }
            case "dtmf" ->
                    onOtherEvent(
                            StreamEvent.Types.DTMF,
                            message,
                            optionalTimestamp(message.path("dtmf"), "dtmf.timestamp"),
                            receivedAtMs);
            // a support article names the checkpoint acknowledgement "played"
            case "playedStream", "played" ->
                    onOtherEvent(StreamEvent.Types.PLAYED_STREAM, message, null, receivedAtMs);
            case "clearedAudio" ->
                    onOtherEvent(StreamEvent.Types.CLEARED_AUDIO, message, null, receivedAtMs);
            // undocumented events (playFailed, error, muteStream, ...) are passed on as they
            // are: never fatal
            default -> onOtherEvent(event, message, null, receivedAtMs);
        }
    }

    /** streamId is top-level on every event but start; some SDKs nest it in a stop object. */
    private void onOtherEvent(String type, JsonNode message, Long eventTimeMs, long receivedAtMs) {
        String streamIdOnWire = message.path("streamId").asText(null);
        if (streamIdOnWire == null) {
            streamIdOnWire = message.path("stop").path("streamId").asText(null);
        }
        session.observe(type, message, streamIdOnWire, eventTimeMs, receivedAtMs);
    }

    private Long optionalTimestamp(JsonNode parent, String path) {
        if (parent.path("timestamp").isMissingNode()) {
            return null;
        }
        return MediaTimestamps.toEpochMs(
                JsonFields.requiredLong(parent, path), session.startEpochMs());
    }

    private void onStart(JsonNode message, long receivedAtMs) {
        session.requireNotStarted();
        JsonNode start = JsonFields.requiredObject(message, "start");
        String id = JsonFields.requiredText(start, "start.streamId");
        JsonNode format = start.path("mediaFormat");
        AudioEncoding encoding;
        try {
            encoding =
                    AudioEncoding.fromMimeType(
                            JsonFields.requiredText(format, "start.mediaFormat.encoding"));
        } catch (IllegalArgumentException e) {
            throw JsonFields.prefixed("start.mediaFormat.encoding", e);
        }
        long rate = JsonFields.requiredLong(format, "start.mediaFormat.sampleRate");
        PlivoAudioFormats.requireSupportedRate("start.mediaFormat.sampleRate", encoding, rate);
        JsonNode extraHeadersOnWire = message.path("extra_headers");
        Map<String, String> extraHeaders;
        Map<String, String> attributes = Map.of();
        try {
            extraHeaders = ExtraHeaders.read(extraHeadersOnWire);
        } catch (IllegalArgumentException e) {
            // the operator's own annotation, not the audio: never worth losing the stream over
            extraHeaders = Map.of();
            attributes =
                    Map.of(
                            ExtraHeaders.RAW_ATTRIBUTE,
                            extraHeadersOnWire.isTextual()
                                    ? extraHeadersOnWire.asText()
                                    : extraHeadersOnWire.toString());
        }
        StreamEvent started =
                StreamEvent.started(
                        id,
                        start.path("callId").asText(null),
                        start.path("accountId").asText(null),
                        receivedAtMs,
                        JsonFields.texts(start.path("tracks")),
                        encoding.mimeType(),
                        (int) rate,
                        extraHeaders);
        session.start(attributes.isEmpty() ? started : started.withAttributes(attributes));
    }
}
