package io.callpulse.ingest.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.ingest.DeadLetters;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.Utf8;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Map;
import java.util.function.LongBinaryOperator;

/**
 * The part of a stream protocol that providers share, for one connection: the stream's state (its
 * id, call, start time and format, whether {@code stop} came, where its audio ends), media held
 * until a late {@code start}, and the records written from them. Providers whose messages differ
 * only in names (Plivo, Twilio) thus write records of one shape, which one pipeline reads.
 *
 * <p>A protocol parses its provider's messages into calls on this class. Not thread-safe: the
 * protocol that owns it synchronises, as {@link io.callpulse.ingest.StreamProtocol} asks.
 */
public final class StreamSession {

    /** Media messages held while waiting for a late {@code start}: 5 s of two 20 ms tracks. */
    public static final int MAX_MEDIA_BEFORE_START = 500;

    /**
     * Bytes of media messages held before {@code start}, counted in UTF-8: 5 s of two L16 16 kHz
     * tracks in base64 JSON is about 0.9 MB, while 500 messages at Plivo's 64 KB limit would be 32
     * MB per connection.
     */
    public static final int MAX_MEDIA_BYTES_BEFORE_START = 1024 * 1024;

    /** Handles one message parsed as a JSON object; throws to dead-letter it. */
    @FunctionalInterface
    public interface MessageHandler {
        void handle(JsonNode message);
    }

    private record HeldMedia(String raw, JsonNode message, long receivedAtMs) {}

    private final RecordSink sink;
    private final String streamIdField;
    private final LongBinaryOperator mediaTimeToEpochMs;
    private final ArrayDeque<HeldMedia> mediaBeforeStart = new ArrayDeque<>();
    private int mediaBytesBeforeStart;

    private String streamId;
    private String callId;
    private AudioEncoding encoding;
    private int sampleRate;
    private long startEpochMs;
    private boolean stopSeen;
    private long lastMediaEndMs;

    /** Set by {@link #close}: the stream has ended, whatever still arrives is refused. */
    private boolean closed;

    /**
     * @param streamIdField the provider's name of the stream id on its messages ({@code streamId},
     *     {@code streamSid}), for reasons
     * @param mediaTimeToEpochMs turns {@code (media.timestamp, epoch ms of the start)} into the
     *     epoch ms of the media's first sample
     */
    public StreamSession(
            RecordSink sink, String streamIdField, LongBinaryOperator mediaTimeToEpochMs) {
        this.sink = sink;
        this.streamIdField = streamIdField;
        this.mediaTimeToEpochMs = mediaTimeToEpochMs;
    }

    /** The stream's id once {@code start} has been seen, else {@code null}. */
    public String streamId() {
        return streamId;
    }

    public boolean started() {
        return streamId != null;
    }

    /** Epoch ms when {@code start} arrived: relative times of the provider count from it. */
    public long startEpochMs() {
        return startEpochMs;
    }

    /**
     * Parses {@code raw} and hands it to {@code handler}; what either refuses is dead-lettered with
     * the reason, and the connection goes on.
     *
     * @return the message as parsed, or {@code null} when it was not (not a JSON object, or the
     *     stream has ended)
     */
    public JsonNode handle(String raw, long receivedAtMs, MessageHandler handler) {
        if (closed) {
            // a worker still decoding frames read before the close, which another thread ran
            reject(
                    "message: arrived after the socket closed; the stream has ended",
                    raw,
                    receivedAtMs);
            return null;
        }
        JsonNode message;
        try {
            message = JsonFields.parseObject(raw);
        } catch (IllegalArgumentException e) {
            reject(e.getMessage(), raw, receivedAtMs);
            return null;
        }
        try {
            handler.handle(message);
        } catch (IllegalArgumentException e) {
            reject(e.getMessage(), raw, receivedAtMs);
        }
        return message;
    }

    /**
     * @throws IllegalArgumentException when this connection's stream has started already
     */
    public void requireNotStarted() {
        if (streamId != null) {
            throw new IllegalArgumentException(
                    "start: a second start on one connection (stream " + streamId + ")");
        }
    }

    /**
     * Starts the stream as {@code started} describes it (id, call, format, start time), writes the
     * event, then the media held before it.
     */
    public void start(StreamEvent started) {
        requireNotStarted();
        streamId = started.streamId();
        callId = started.callId();
        encoding = AudioEncoding.fromMimeType(started.encoding());
        sampleRate = started.sampleRate();
        startEpochMs = started.receivedAtMs();
        lastMediaEndMs = startEpochMs;
        sink.event(started);
        for (HeldMedia held : mediaBeforeStart) {
            try {
                audio(held.message, held.receivedAtMs);
            } catch (IllegalArgumentException e) {
                reject(e.getMessage(), held.raw, held.receivedAtMs);
            }
        }
        releaseHeldMedia();
    }

    private void releaseHeldMedia() {
        mediaBeforeStart.clear();
        mediaBytesBeforeStart = 0;
    }

    /**
     * A media message: written as an audio record, or held until {@code start} (at most {@value
     * #MAX_MEDIA_BEFORE_START} messages and {@value #MAX_MEDIA_BYTES_BEFORE_START} bytes).
     *
     * @throws IllegalArgumentException naming the field that is wrong, or when the hold is full
     */
    public void media(String raw, JsonNode message, long receivedAtMs) {
        if (streamId == null) {
            if (mediaBeforeStart.size() >= MAX_MEDIA_BEFORE_START) {
                throw new IllegalArgumentException(
                        "media: more than "
                                + MAX_MEDIA_BEFORE_START
                                + " media messages before start");
            }
            int bytes = Utf8.length(raw);
            if (mediaBytesBeforeStart + bytes > MAX_MEDIA_BYTES_BEFORE_START) {
                throw new IllegalArgumentException(
                        "media: more than "
                                + MAX_MEDIA_BYTES_BEFORE_START
                                + " bytes of media messages before start");
            }
            mediaBytesBeforeStart += bytes;
            mediaBeforeStart.add(new HeldMedia(raw, message, receivedAtMs));
            return;
        }
        audio(message, receivedAtMs);
    }

    /**
     * The fields are named alike by every provider: {@code media.track, timestamp, chunk, payload}.
     */
    private void audio(JsonNode message, long receivedAtMs) {
        JsonNode media = JsonFields.requiredObject(message, "media");
        Track track;
        try {
            track = Track.fromWireName(JsonFields.requiredText(media, "media.track"));
        } catch (IllegalArgumentException e) {
            throw JsonFields.prefixed("media.track", e);
        }
        long timestamp =
                mediaTimeToEpochMs.applyAsLong(
                        JsonFields.requiredLong(media, "media.timestamp"), startEpochMs);
        long chunk = JsonFields.requiredLong(media, "media.chunk");
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(JsonFields.requiredText(media, "media.payload"));
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

    /** The provider said the stream stops; the close event will say so. */
    public void stopSeen() {
        stopSeen = true;
    }

    /**
     * Passes on a message other than start and media as an event, every field but the event name
     * kept in its attributes (nested objects flattened to dotted keys).
     *
     * @param streamIdOnWire the stream id the message itself carries, used before {@code start}
     * @param eventTimeMs when it happened as the provider says, or {@code null}
     * @throws IllegalArgumentException when neither {@code start} nor the message names the stream
     */
    public void observe(
            String type,
            JsonNode message,
            String streamIdOnWire,
            Long eventTimeMs,
            long receivedAtMs) {
        String id = streamId != null ? streamId : streamIdOnWire;
        if (id == null) {
            throw new IllegalArgumentException(
                    streamIdField
                            + ": a "
                            + message.path("event").asText()
                            + " message before start must carry a "
                            + streamIdField);
        }
        Map<String, String> attributes = JsonFields.flatten(message);
        attributes.remove("event");
        sink.event(StreamEvent.observed(type, id, callId, eventTimeMs, receivedAtMs, attributes));
    }

    /**
     * The socket closed: the end-of-stream marker and the closed event, or, when the stream never
     * started, the held media dead-lettered.
     */
    public void close(int code, String reason, long closedAtMs) {
        if (closed) {
            return;
        }
        closed = true;
        if (streamId == null) {
            for (HeldMedia held : mediaBeforeStart) {
                reject("media: the socket closed before start", held.raw, closedAtMs);
            }
            releaseHeldMedia();
            return;
        }
        // the marker follows the stream's last audio in its partition: readers need no clock
        sink.audio(AudioRecord.endOfStream(streamId, lastMediaEndMs, closedAtMs));
        sink.event(StreamEvent.closed(streamId, callId, closedAtMs, code, reason, stopSeen));
    }

    /** Dead-letters {@code raw} with {@code reason}, under the stream's id when it is known. */
    public void reject(String reason, String raw, long receivedAtMs) {
        sink.deadLetter(DeadLetters.of(reason, streamId, receivedAtMs, raw));
    }
}
