package io.callpulse.simulator;

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
}
