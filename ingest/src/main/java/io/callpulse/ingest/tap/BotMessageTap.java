package io.callpulse.ingest.tap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.ingest.DeadLetters;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.plivo.PlivoAudioFormats;
import io.callpulse.ingest.protocol.JsonFields;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.Json;
import io.callpulse.records.StreamEvent;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads what the bot sends Plivo on a bidirectional stream (the relay has already passed it on
 * unchanged) and records it: {@code playAudio} feeds the {@link PlayoutTimeline}, whose played
 * audio becomes the outbound track; {@code checkpoint}, {@code clearAudio} and {@code sendDTMF}
 * become events. It knows nothing of sockets, so it is tested on its own.
 *
 * <p>Records need the StreamID, which only Plivo's {@code start} carries; what the bot sends before
 * the handler has seen {@code start} is held and read, at the time it arrived, once it has.
 *
 * <p>Called from the bot's socket thread, Plivo's and the release scheduler: every method holds the
 * lock, and reads the clock inside it so that releases and cuts are applied in time order.
 */
final class BotMessageTap {

    /** Bot messages held while waiting for {@code start}: a few seconds of 20 ms playAudio. */
    static final int MAX_HELD_BEFORE_START = 250;

    private final RecordSink sink;
    private final LongSupplier clock;
    private final Supplier<String> streamIdOfPlivoSide;
    private final ArrayDeque<HeldMessage> heldBeforeStart = new ArrayDeque<>();
    private String streamId;
    private PlayoutTimeline timeline;
    private BotFailure heldFailure;
    private boolean closed;

    private record HeldMessage(String raw, long receivedAtMs) {}

    private record BotFailure(String botUrl, String error, long atMs) {}

    /** A {@code playAudio} that Plivo can play. */
    private record PlayAudio(AudioEncoding encoding, int sampleRate, byte[] payload) {}

    /**
     * @param streamIdOfPlivoSide the StreamID once Plivo's {@code start} has been seen, else {@code
     *     null}
     */
    BotMessageTap(RecordSink sink, LongSupplier clock, Supplier<String> streamIdOfPlivoSide) {
        this.sink = sink;
        this.clock = clock;
        this.streamIdOfPlivoSide = streamIdOfPlivoSide;
    }

    /** One text message from the bot. Bad input is dead-lettered; it never throws. */
    synchronized void onBotMessage(String raw) {
        if (closed) {
            return;
        }
        long nowMs = clock.getAsLong();
        if (!streamKnown()) {
            if (heldBeforeStart.size() >= MAX_HELD_BEFORE_START) {
                reject(
                        "bot message: more than "
                                + MAX_HELD_BEFORE_START
                                + " messages from the bot before Plivo's start",
                        raw,
                        nowMs);
            } else {
                heldBeforeStart.add(new HeldMessage(raw, nowMs));
            }
            return;
        }
        read(raw, nowMs);
    }

    /** A binary frame from the bot: relayed, but Plivo's protocol has none. */
    synchronized void onBotBinary(byte[] bytes) {
        if (closed) {
            return;
        }
        reject(
                "bot message: expected a JSON text frame, found a binary frame of "
                        + bytes.length
                        + " bytes",
                Base64.getEncoder().encodeToString(bytes),
                clock.getAsLong());
    }

    /** Writes the audio played by now (called every few ms and on every message). */
    synchronized void release() {
        if (!closed && streamKnown()) {
            emit(timeline.releaseUntil(clock.getAsLong()));
        }
    }

    /** The bot could not be reached or went away: an event, once the StreamID is known. */
    synchronized void botUnavailable(String botUrl, String error) {
        if (closed) {
            return;
        }
        BotFailure failure = new BotFailure(botUrl, error, clock.getAsLong());
        if (streamKnown()) {
            recordFailure(failure);
        } else {
            heldFailure = failure;
        }
    }

    /**
     * Plivo's socket closed: writes the audio played by now and drops the rest. Without a {@code
     * start}, what was held is dead-lettered. Nothing is recorded after this.
     */
    synchronized void close() {
        if (closed) {
            return;
        }
        long nowMs = clock.getAsLong();
        if (streamKnown()) {
            emit(timeline.clear(nowMs).played());
        } else {
            for (HeldMessage held : heldBeforeStart) {
                reject(
                        "bot message: the Plivo socket closed before start, so its stream is"
                                + " unknown",
                        held.raw,
                        nowMs);
            }
            heldBeforeStart.clear();
            if (heldFailure != null) {
                reject(
                        StreamEvent.Types.TAP_BOT_UNAVAILABLE
                                + ": the bot at "
                                + heldFailure.botUrl
                                + " was unavailable ("
                                + heldFailure.error
                                + ") and the Plivo socket closed before start",
                        null,
                        nowMs);
            }
        }
        closed = true;
    }

    /** Whether the StreamID is known; the first time it is, reads what was held for it. */
    private boolean streamKnown() {
        if (streamId != null) {
            return true;
        }
        String id = streamIdOfPlivoSide.get();
        if (id == null) {
            return false;
        }
        streamId = id;
        timeline = new PlayoutTimeline(id);
        while (!heldBeforeStart.isEmpty()) {
            HeldMessage held = heldBeforeStart.poll();
            read(held.raw, held.receivedAtMs);
        }
        if (heldFailure != null) {
            recordFailure(heldFailure);
            heldFailure = null;
        }
        return true;
    }

    private void read(String raw, long receivedAtMs) {
        // what played before this message goes out before what it causes
        emit(timeline.releaseUntil(receivedAtMs));
        JsonNode message;
        try {
            message = Json.mapper().readTree(raw);
        } catch (JsonProcessingException e) {
            reject(
                    "bot message: not valid JSON (" + e.getOriginalMessage() + ")",
                    raw,
                    receivedAtMs);
            return;
        }
        if (message == null || !message.isObject()) {
            reject("bot message: expected a JSON object", raw, receivedAtMs);
            return;
        }
        String type = message.path("event").asText("");
        try {
            switch (type) {
                case "playAudio" -> {
                    PlayAudio audio = playAudio(message.path("media"));
                    timeline.enqueue(audio.encoding, audio.sampleRate, audio.payload, receivedAtMs);
                }
                case "checkpoint" -> {
                    String name = requiredText(message, "name", "checkpoint.name");
                    long expectedPlayedAtMs = timeline.checkpoint(name, receivedAtMs);
                    event(
                            StreamEvent.Types.CHECKPOINT,
                            receivedAtMs,
                            Map.of(
                                    "name",
                                    name,
                                    "expectedPlayedAtMs",
                                    String.valueOf(expectedPlayedAtMs)));
                }
                case "clearAudio" -> {
                    PlayoutTimeline.Cut cut = timeline.clear(receivedAtMs);
                    emit(cut.played());
                    event(
                            StreamEvent.Types.CLEAR_AUDIO,
                            receivedAtMs,
                            Map.of(
                                    "cancelledCheckpoints",
                                    Json.mapper()
                                            .valueToTree(cut.cancelledCheckpoints())
                                            .toString()));
                }
                case "sendDTMF" ->
                        event(
                                StreamEvent.Types.SEND_DTMF,
                                receivedAtMs,
                                Map.of("dtmf", requiredText(message, "dtmf", "sendDTMF.dtmf")));
                default ->
                        throw new IllegalArgumentException(
                                "bot message event: expected playAudio, checkpoint, clearAudio"
                                        + " or sendDTMF, found "
                                        + describe(message.path("event")));
            }
        } catch (IllegalArgumentException e) {
            reject(e.getMessage(), raw, receivedAtMs);
        }
    }

    /**
     * Reads a playAudio's {@code media} as Plivo's reference allows it: audio/x-l16 at 8000 or
     * 16000 Hz, audio/x-mulaw at 8000 Hz, the rate a number or a string.
     */
    private static PlayAudio playAudio(JsonNode media) {
        if (!media.isObject()) {
            throw new IllegalArgumentException(
                    "playAudio.media: expected an object, found " + describe(media));
        }
        String contentType = requiredText(media, "contentType", "playAudio.media.contentType");
        AudioEncoding encoding;
        try {
            encoding = AudioEncoding.fromMimeType(contentType);
        } catch (IllegalArgumentException e) {
            throw JsonFields.prefixed("playAudio.media.contentType", e);
        }
        int sampleRate = sampleRate(media.path("sampleRate"));
        PlivoAudioFormats.requireSupportedRate("playAudio.media.sampleRate", encoding, sampleRate);
        byte[] payload;
        try {
            payload =
                    Base64.getDecoder()
                            .decode(requiredText(media, "payload", "playAudio.media.payload"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "playAudio.media.payload: not valid base64 (" + e.getMessage() + ")");
        }
        if (payload.length % encoding.bytesPerSample() != 0) {
            throw new IllegalArgumentException(
                    "playAudio.media.payload: "
                            + encoding.mimeType()
                            + " needs a multiple of "
                            + encoding.bytesPerSample()
                            + " bytes, found "
                            + payload.length);
        }
        return new PlayAudio(encoding, sampleRate, payload);
    }

    /** Plivo's reference shows a number; bots written against its SDKs send a string too. */
    private static int sampleRate(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                return Integer.parseInt(node.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(
                "playAudio.media.sampleRate: expected 8000 or 16000 as a number or a string,"
                        + " found "
                        + describe(node));
    }

    private static String requiredText(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new IllegalArgumentException(
                    path + ": expected a non-empty string, found " + describe(node));
        }
        return node.asText();
    }

    private static String describe(JsonNode node) {
        return node.isMissingNode() ? "none" : node.toString();
    }

    private void recordFailure(BotFailure failure) {
        event(
                StreamEvent.Types.TAP_BOT_UNAVAILABLE,
                failure.atMs,
                Map.of("botUrl", failure.botUrl, "error", failure.error));
    }

    private void event(String type, long atMs, Map<String, String> attributes) {
        sink.event(StreamEvent.observed(type, streamId, null, atMs, atMs, attributes));
    }

    private void emit(List<AudioRecord> played) {
        played.forEach(sink::audio);
    }

    private void reject(String reason, String raw, long atMs) {
        sink.deadLetter(DeadLetters.of(reason, streamId, atMs, raw));
    }
}
