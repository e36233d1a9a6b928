package io.callpulse.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.concurrent.atomic.LongAdder;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A small voice bot for the ingest's tap route to relay to: it hears Plivo's messages and answers
 * as a bidirectional-stream server does. Per connection, counted in inbound media messages (20 ms
 * each): at 50 (1 s) it plays 1 s of speech and sets checkpoint {@code turn-1}; at 150 it plays
 * again with {@code turn-2}; at 175, while that is still playing, the caller barges in and it sends
 * {@code clearAudio} (so turn-2 is never acknowledged); at 250 it plays {@code turn-3}. It never
 * blocks: Java-WebSocket's {@code send} only queues.
 */
public final class BotServer extends WebSocketServer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String playAudioPayload;
    private final LongAdder connections = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder played = new LongAdder();
    private final LongAdder cleared = new LongAdder();

    private static final class State {
        String streamId = "";
        int inboundMedia;
    }

    public BotServer(InetSocketAddress address) {
        super(address);
        setReuseAddr(true);
        setTcpNoDelay(true);
        short[] speech = SyntheticAudio.at(8000).speech(150, -20, 1000).build();
        playAudioPayload =
                Base64.getEncoder()
                        .encodeToString(StreamFormat.MULAW_8K.encode(speech, 0, speech.length));
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        connections.increment();
        conn.setAttachment(new State());
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        received.increment();
        State state = conn.getAttachment();
        JsonNode json;
        try {
            json = MAPPER.readTree(message);
        } catch (Exception e) {
            return;
        }
        switch (json.path("event").asText()) {
            case "start" -> state.streamId = json.path("start").path("streamId").asText();
            case "playedStream", "played" -> played.increment();
            case "clearedAudio" -> cleared.increment();
            case "media" -> {
                if ("inbound".equals(json.path("media").path("track").asText())) {
                    onInboundMedia(conn, state, ++state.inboundMedia);
                }
            }
            default -> {}
        }
    }

    private void onInboundMedia(WebSocket conn, State state, int count) {
        switch (count) {
            case 50 -> play(conn, state, "turn-1");
            case 150 -> play(conn, state, "turn-2");
            case 175 -> send(conn, control("clearAudio", state.streamId, null));
            case 250 -> play(conn, state, "turn-3");
            default -> {}
        }
    }

    private void play(WebSocket conn, State state, String checkpoint) {
        ObjectNode play = MAPPER.createObjectNode();
        play.put("event", "playAudio");
        ObjectNode media = play.putObject("media");
        media.put("contentType", "audio/x-mulaw");
        media.put("sampleRate", 8000);
        media.put("payload", playAudioPayload);
        send(conn, play.toString());
        send(conn, control("checkpoint", state.streamId, checkpoint));
    }

    static String control(String event, String streamId, String name) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("event", event);
        message.put("streamId", streamId);
        if (name != null) {
            message.put("name", name);
        }
        return message.toString();
    }

    private void send(WebSocket conn, String text) {
        if (conn.isOpen()) {
            conn.send(text);
            sent.increment();
        }
    }

    @Override
    public void onMessage(WebSocket conn, java.nio.ByteBuffer message) {}

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {}

    /** One line for the summary. */
    public String summary() {
        return "bot: "
                + connections.sum()
                + " connections, "
                + received.sum()
                + " messages heard, "
                + sent.sum()
                + " sent, "
                + played.sum()
                + " playedStream and "
                + cleared.sum()
                + " clearedAudio received";
    }

    public long connections() {
        return connections.sum();
    }

    public long played() {
        return played.sum();
    }

    public long cleared() {
        return cleared.sum();
    }
}
