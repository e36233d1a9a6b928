package io.callpulse.simulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/** Writes the JSON messages Plivo sends on an audio stream, as its reference documents them. */
public final class PlivoMessages {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PlivoMessages() {}

    public static String start(PlivoCall call, long sequenceNumber) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("event", "start");
        message.put("sequenceNumber", sequenceNumber);
        ObjectNode start = message.putObject("start");
        start.put("callId", call.callId());
        start.put("streamId", call.streamId());
        start.put("accountId", "MAXXXXXXXXXXXXXXXXXX");
        var tracks = start.putArray("tracks");
        if (call.inbound() != null) {
            tracks.add("inbound");
        }
        if (call.outbound() != null) {
            tracks.add("outbound");
        }
        ObjectNode format = start.putObject("mediaFormat");
        format.put("encoding", call.format().encoding().mimeType());
        format.put("sampleRate", call.format().sampleRate());
        if (call.extraHeaders() != null) {
            message.put("extra_headers", call.extraHeaders());
        }
        return message.toString();
    }

    /** A media message; the timestamp is a string of epoch milliseconds, as Plivo sends it. */
    public static String media(
            PlivoCall call,
            long sequenceNumber,
            String track,
            long timestampMs,
            long chunk,
            byte[] payload) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("event", "media");
        message.put("sequenceNumber", sequenceNumber);
        message.put("streamId", call.streamId());
        ObjectNode media = message.putObject("media");
        media.put("track", track);
        media.put("timestamp", Long.toString(timestampMs));
        media.put("chunk", chunk);
        media.put("payload", Base64.getEncoder().encodeToString(payload));
        if (call.extraHeaders() != null) {
            message.put("extra_headers", call.extraHeaders());
        }
        return message.toString();
    }

    /** A DTMF digit pressed on a track; the timestamp is a string of epoch milliseconds. */
    public static String dtmf(
            String streamId,
            long sequenceNumber,
            String track,
            String digit,
            long timestampMs,
            String extraHeaders) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("event", "dtmf");
        message.put("sequenceNumber", sequenceNumber);
        message.put("streamId", streamId);
        ObjectNode dtmf = message.putObject("dtmf");
        dtmf.put("track", track);
        dtmf.put("digit", digit);
        dtmf.put("timestamp", Long.toString(timestampMs));
        if (extraHeaders != null) {
            message.put("extra_headers", extraHeaders);
        }
        return message.toString();
    }

    /**
     * The {@code stop} message some of Plivo's SDKs model: the stream's ids and tracks nested in
     * {@code stop}, and {@code streamId} top-level as on every event but start.
     */
    public static String stop(PlivoCall call, long sequenceNumber) {
        return stop(call.streamId(), call.callId(), tracks(call), sequenceNumber);
    }

    public static String stop(
            String streamId, String callId, java.util.List<String> tracks, long sequenceNumber) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("event", "stop");
        message.put("sequenceNumber", sequenceNumber);
        message.put("streamId", streamId);
        ObjectNode stop = message.putObject("stop");
        stop.put("callId", callId);
        stop.put("streamId", streamId);
        var array = stop.putArray("tracks");
        tracks.forEach(array::add);
        return message.toString();
    }

    /** Plivo's answer to a checkpoint, once everything queued before it has played. */
    public static String playedStream(String streamId, long sequenceNumber, String name) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("event", "playedStream");
        message.put("sequenceNumber", sequenceNumber);
        message.put("streamId", streamId);
        message.put("name", name);
        return message.toString();
    }

    /** Plivo's answer to clearAudio. */
    public static String clearedAudio(String streamId, long sequenceNumber) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("event", "clearedAudio");
        message.put("sequenceNumber", sequenceNumber);
        message.put("streamId", streamId);
        return message.toString();
    }

    /** An event Plivo's reference does not document (seen in its code): {@code muteStream}. */
    public static String unknownEvent(String streamId, long sequenceNumber, String event) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("event", event);
        message.put("sequenceNumber", sequenceNumber);
        message.put("streamId", streamId);
        return message.toString();
    }

    static java.util.List<String> tracks(PlivoCall call) {
        java.util.List<String> tracks = new java.util.ArrayList<>(2);
        if (call.inbound() != null) {
            tracks.add("inbound");
        }
        if (call.outbound() != null) {
            tracks.add("outbound");
        }
        return tracks;
    }

    /** The JSON string literal of {@code text}, quotes included. */
    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    /**
     * Writes one stream's media messages without a JSON tree: the same bytes as {@link #media},
     * from a payload already in base64, so that a load run encodes each chunk of audio once for all
     * its calls.
     */
    public static final class MediaWriter {
        private final String head;
        private final String tail;

        public MediaWriter(String streamId, String extraHeaders) {
            this.head = ",\"streamId\":" + quote(streamId) + ",\"media\":{\"track\":\"";
            this.tail =
                    extraHeaders == null ? "}" : ",\"extra_headers\":" + quote(extraHeaders) + "}";
        }

        public String media(
                long sequenceNumber,
                String track,
                long timestampMs,
                long chunk,
                String base64Payload) {
            return new StringBuilder(head.length() + tail.length() + base64Payload.length() + 96)
                    .append("{\"event\":\"media\",\"sequenceNumber\":")
                    .append(sequenceNumber)
                    .append(head)
                    .append(track)
                    .append("\",\"timestamp\":\"")
                    .append(timestampMs)
                    .append("\",\"chunk\":")
                    .append(chunk)
                    .append(",\"payload\":\"")
                    .append(base64Payload)
                    .append("\"}")
                    .append(tail)
                    .toString();
        }
    }
}
