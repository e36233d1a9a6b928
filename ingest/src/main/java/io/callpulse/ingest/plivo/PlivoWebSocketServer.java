package io.callpulse.ingest.plivo;

import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.records.DeadLetter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint Plivo's {@code <Stream>} connects to. One {@link PlivoStreamHandler} per
 * connection does the protocol; this class only binds sockets to handlers.
 */
public final class PlivoWebSocketServer extends WebSocketServer {

    private static final Logger LOG = LoggerFactory.getLogger(PlivoWebSocketServer.class);

    /** The forms in which Plivo may have signed the upgrade's URL (its documents disagree). */
    private static final List<String> UPGRADE_SCHEMES = List.of("wss", "https", "http", "ws");

    private final RecordSink sink;
    private final LongSupplier clock;
    private final PlivoRequestVerifier verifier;
    private final CompletableFuture<Integer> started = new CompletableFuture<>();

    public PlivoWebSocketServer(
            InetSocketAddress address,
            RecordSink sink,
            LongSupplier clock,
            PlivoRequestVerifier verifier) {
        super(address);
        this.sink = sink;
        this.clock = clock;
        this.verifier = verifier;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setConnectionLostTimeout(30);
    }

    /** Completes with the bound port once the server listens (port 0 picks a free one). */
    public CompletableFuture<Integer> started() {
        return started;
    }

    /** Refuses an upgrade that is not signed by Plivo, when a token is configured. */
    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
            WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder response =
                super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        boolean signed =
                verifier.verify(
                        "GET",
                        request.getResourceDescriptor(),
                        name -> request.hasFieldValue(name) ? request.getFieldValue(name) : null,
                        Map.of(),
                        UPGRADE_SCHEMES);
        if (!signed) {
            LOG.warn(
                    "refused a stream upgrade from {} without a valid Plivo signature",
                    conn.getRemoteSocketAddress());
            throw new InvalidDataException(
                    CloseFrame.POLICY_VALIDATION,
                    "signature: X-Plivo-Signature-V3 missing or wrong");
        }
        return response;
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
