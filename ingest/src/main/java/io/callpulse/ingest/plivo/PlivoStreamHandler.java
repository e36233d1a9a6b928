package io.callpulse.ingest.plivo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.StreamProtocol;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.Json;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Plivo's audio-stream protocol for one WebSocket connection: turns its JSON messages into audio
 * records and stream events. It knows nothing of sockets or Kafka, so it is tested on its own.
 *
 * <p>Calls for one connection come from one thread at a time (Java-WebSocket gives each connection
 * to one worker), but the close may come from another, hence the synchronisation; it is
 * uncontended.
 */
public final class PlivoStreamHandler implements StreamProtocol {

    /** Media messages held while waiting for a late {@code start}: 5 s of two 20 ms tracks. */
    static final int MAX_MEDIA_BEFORE_START = 500;

    private static final String STAGE = "ingest";

    private final RecordSink sink;
    private final LongSupplier clock;
    private final ArrayDeque<PendingMedia> mediaBeforeStart = new ArrayDeque<>();

    private String streamId;
    private String callId;
    private AudioEncoding encoding;
    private int sampleRate;
    private long startEpochMs;
    private boolean stopSeen;
    private long lastMediaEndMs;

    private record PendingMedia(String raw, JsonNode message, long receivedAtMs) {}

    public PlivoStreamHandler(RecordSink sink, LongSupplier clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** The stream's id once {@code start} has been seen, else {@code null}. */
    @Override
    public synchronized String streamId() {
        return streamId;
    }

    /** Handles one text message. Bad input is dead-lettered; it never throws. */
    @Override
    public synchronized void onText(String raw) {
        long receivedAtMs = clock.getAsLong();
        JsonNode message;
        try {
            message = Json.mapper().readTree(raw);
        } catch (JsonProcessingException e) {
            reject("message: not valid JSON (" + e.getOriginalMessage() + ")", raw, receivedAtMs);
            return;
        }
        if (message == null || !message.isObject()) {
            reject("message: expected a JSON object", raw, receivedAtMs);
            return;
        }
        String event = message.path("event").asText("");
        try {
            switch (event) {
                case "start" -> onStart(message, receivedAtMs);
                case "media" -> onMedia(raw, message, receivedAtMs);
                case "" ->
                        throw new IllegalArgumentException(
                                "event: expected a string such as start or media, found none");
                case "stop" -> {
                    stopSeen = true;
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
                // undocumented events (playFailed, error, muteStream, ...) are passed on as
                // they are: never fatal
                default -> onOtherEvent(event, message, null, receivedAtMs);
            }
        } catch (IllegalArgumentException e) {
            reject(e.getMessage(), raw, receivedAtMs);
        }
    }

    @Override
    public synchronized void onClose(int code, String reason) {
        long closedAtMs = clock.getAsLong();
        if (streamId == null) {
            for (PendingMedia pending : mediaBeforeStart) {
                reject("media: the socket closed before start", pending.raw, closedAtMs);
            }
            mediaBeforeStart.clear();
            return;
        }
        // the marker follows the stream's last audio in its partition: readers need no clock
        sink.audio(AudioRecord.endOfStream(streamId, lastMediaEndMs, closedAtMs));
        sink.event(StreamEvent.closed(streamId, callId, closedAtMs, code, reason, stopSeen));
    }

    /**
     * Passes on a message other than start and media as an event, every field but the event name
     * kept in its attributes (nested objects flattened to dotted keys).
     */
    private void onOtherEvent(String type, JsonNode message, Long eventTimeMs, long receivedAtMs) {
        String id = streamId;
        if (id == null) {
            id = message.path("streamId").asText(null);
        }
        if (id == null) {
            id = message.path("stop").path("streamId").asText(null);
        }
        if (id == null) {
            throw new IllegalArgumentException(
                    "streamId: a "
                            + message.path("event").asText()
                            + " message before start must carry a streamId");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        flatten("", message, attributes);
        attributes.remove("event");
        sink.event(StreamEvent.observed(type, id, callId, eventTimeMs, receivedAtMs, attributes));
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        node.fields()
                .forEachRemaining(
                        field -> {
                            JsonNode value = field.getValue();
                            String key = prefix + field.getKey();
                            if (value.isObject()) {
                                flatten(key + ".", value, into);
                            } else if (value.isValueNode()) {
                                into.put(key, value.asText());
                            } else {
                                into.put(key, value.toString());
                            }
                        });
    }

    private Long optionalTimestamp(JsonNode parent, String path) {
        if (parent.path(leaf(path)).isMissingNode()) {
            return null;
        }
        return MediaTimestamps.toEpochMs(requiredLong(parent, path), startEpochMs);
    }

    private void onStart(JsonNode message, long receivedAtMs) {
        if (streamId != null) {
            throw new IllegalArgumentException(
                    "start: a second start on one connection (stream " + streamId + ")");
        }
        JsonNode start = message.path("start");
        if (!start.isObject()) {
            throw new IllegalArgumentException("start: expected an object");
        }
        String id = requiredText(start, "start.streamId");
        JsonNode format = start.path("mediaFormat");
        AudioEncoding parsedEncoding =
                AudioEncoding.fromMimeType(requiredText(format, "start.mediaFormat.encoding"));
        int rate = (int) requiredLong(format, "start.mediaFormat.sampleRate");
        if (rate != 8000 && rate != 16000) {
            throw new IllegalArgumentException(
                    "start.mediaFormat.sampleRate: expected 8000 or 16000, found " + rate);
        }
        List<String> tracks = new ArrayList<>();
        start.path("tracks").forEach(t -> tracks.add(t.asText()));
        Map<String, String> extraHeaders =
                ExtraHeaders.parse(message.path("extra_headers").asText(null));

        streamId = id;
        callId = start.path("callId").asText(null);
        encoding = parsedEncoding;
        sampleRate = rate;
        startEpochMs = receivedAtMs;
        lastMediaEndMs = receivedAtMs;
        sink.event(
                StreamEvent.started(
                        streamId,
                        callId,
                        start.path("accountId").asText(null),
                        receivedAtMs,
                        tracks,
                        encoding.mimeType(),
                        sampleRate,
                        extraHeaders));
        while (!mediaBeforeStart.isEmpty()) {
            PendingMedia pending = mediaBeforeStart.poll();
            try {
                publishMedia(pending.message, pending.receivedAtMs);
            } catch (IllegalArgumentException e) {
                reject(e.getMessage(), pending.raw, pending.receivedAtMs);
            }
        }
    }

    private void onMedia(String raw, JsonNode message, long receivedAtMs) {
        if (streamId == null) {
            if (mediaBeforeStart.size() >= MAX_MEDIA_BEFORE_START) {
                throw new IllegalArgumentException(
                        "media: more than "
                                + MAX_MEDIA_BEFORE_START
                                + " media messages before start");
            }
            mediaBeforeStart.add(new PendingMedia(raw, message, receivedAtMs));
            return;
        }
        publishMedia(message, receivedAtMs);
    }

    private void publishMedia(JsonNode message, long receivedAtMs) {
        JsonNode media = message.path("media");
        if (!media.isObject()) {
            throw new IllegalArgumentException("media: expected an object");
        }
        Track track = Track.fromWireName(requiredText(media, "media.track"));
        long timestamp =
                MediaTimestamps.toEpochMs(requiredLong(media, "media.timestamp"), startEpochMs);
        long chunk = requiredLong(media, "media.chunk");
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(requiredText(media, "media.payload"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "media.payload: not valid base64 (" + e.getMessage() + ")");
        }
        if (payload.length % encoding.bytesPerSample() != 0) {
            throw new IllegalArgumentException(
                    "media.payload: "
                            + encoding.mimeType()
                            + " needs a multiple of "
                            + encoding.bytesPerSample()
                            + " bytes, found "
                            + payload.length);
        }
        AudioRecord record =
                AudioRecord.audio(
                        streamId,
                        track,
                        encoding,
                        sampleRate,
                        chunk,
                        1,
                        timestamp,
                        receivedAtMs,
                        payload);
        lastMediaEndMs = Math.max(lastMediaEndMs, timestamp + Math.round(record.durationMs()));
        sink.audio(record);
    }

    private void reject(String reason, String raw, long receivedAtMs) {
        sink.deadLetter(new DeadLetter(STAGE, reason, streamId, receivedAtMs, raw));
    }

    private static String requiredText(JsonNode parent, String path) {
        JsonNode node = parent.path(leaf(path));
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new IllegalArgumentException(
                    path + ": expected a non-empty string, found " + describe(node));
        }
        return node.asText();
    }

    /** Plivo sends numbers, Twilio numeric strings: both are read. */
    private static long requiredLong(JsonNode parent, String path) {
        JsonNode node = parent.path(leaf(path));
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(
                path + ": expected an integer or a string of digits, found " + describe(node));
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static String describe(JsonNode node) {
        return node.isMissingNode() ? "none" : node.toString();
    }
}
