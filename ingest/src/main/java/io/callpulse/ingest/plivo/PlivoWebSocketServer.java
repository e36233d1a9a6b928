package io.callpulse.ingest.plivo;

import io.callpulse.ingest.RecordSink;
import io.callpulse.records.DeadLetter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint Plivo's {@code <Stream>} connects to. One {@link PlivoStreamHandler} per
 * connection does the protocol; this class only binds sockets to handlers.
 */
public final class PlivoWebSocketServer extends WebSocketServer {

    private static final Logger LOG = LoggerFactory.getLogger(PlivoWebSocketServer.class);

    private final RecordSink sink;
    private final LongSupplier clock;
    private final CompletableFuture<Integer> started = new CompletableFuture<>();

    public PlivoWebSocketServer(InetSocketAddress address, RecordSink sink, LongSupplier clock) {
        super(address);
        this.sink = sink;
        this.clock = clock;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setConnectionLostTimeout(30);
    }

    /** Completes with the bound port once the server listens (port 0 picks a free one). */
    public CompletableFuture<Integer> started() {
        return started;
    }

    @Override
    public void onStart() {
        started.complete(getPort());
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        conn.setAttachment(new PlivoStreamHandler(sink, clock));
        LOG.debug(
                "stream connection from {} on {}",
                conn.getRemoteSocketAddress(),
                handshake.getResourceDescriptor());
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        PlivoStreamHandler handler = conn.getAttachment();
        handler.onText(message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        PlivoStreamHandler handler = conn.getAttachment();
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        sink.deadLetter(
                new DeadLetter(
                        "ingest",
                        "message: expected a JSON text frame, found a binary frame of "
                                + bytes.length
                                + " bytes",
                        handler.streamId(),
                        clock.getAsLong(),
                        Base64.getEncoder().encodeToString(bytes)));
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        PlivoStreamHandler handler = conn.getAttachment();
        if (handler != null) {
            handler.onClose(code, reason);
            LOG.debug("stream {} closed with {} {}", handler.streamId(), code, reason);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            LOG.error("WebSocket server error", ex);
            started.completeExceptionally(ex);
        } else {
            LOG.warn("error on stream connection from {}", conn.getRemoteSocketAddress(), ex);
        }
    }
}
