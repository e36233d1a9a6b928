package io.callpulse.ingest.websocket;

import io.callpulse.ingest.DeadLetters;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.StreamProtocol;
import io.callpulse.ingest.Utf8;
import io.callpulse.ingest.kafka.ReadingControl;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.metrics.MetricLabels;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint that providers' streams connect to. A {@link StreamRoute} per path picks
 * the protocol (Plivo, Twilio, the tap); this class binds sockets to protocols, enforces the
 * message size limit and stops reading its sockets while Kafka is behind.
 */
public final class StreamWebSocketServer extends WebSocketServer implements ReadingControl {

    private static final Logger LOG = LoggerFactory.getLogger(StreamWebSocketServer.class);

    /**
     * Java-WebSocket's lost-connection check: a ping every this many seconds, and a socket whose
     * pong has not come for 1.5 times as long is dropped. Stopped while reading is paused.
     */
    static final int LOST_CONNECTION_TIMEOUT_SECONDS = 30;

    /** Plivo's limit for one message; larger ones are dead-lettered and the socket closed. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    /**
     * Frames above this are refused by the WebSocket layer itself (close 1009) before they are
     * buffered whole; between the two limits the message is kept raw in its dead letter.
     */
    static final int MAX_FRAME_BYTES = 1024 * 1024;

    /** How long a peer closed for an oversized frame has to answer before it is cut. */
    static final long TOO_BIG_CLOSE_GRACE_MS = 2_000;

    private final Map<String, StreamRoute> routesByPath = new LinkedHashMap<>();
    private final StreamRoute defaultRoute;
    private final RecordSink sink;
    private final LongSupplier clock;
    private final IngestMetrics metrics;
    private final CompletableFuture<Integer> started = new CompletableFuture<>();

    /**
     * Held to change {@link #readingPaused} together with the sockets' interest, and to disarm a
     * socket seen paused: a resume between seeing it paused and disarming would leave that socket
     * unread for good.
     */
    private final Object readingLock = new Object();

    private volatile boolean readingPaused;

    /** Streams opened whose close has not been fully handled yet (guarded by itself). */
    private final int[] streamsNotEnded = {0};

    /**
     * What a socket carries from the upgrade to its close. The close may run on another thread
     * while the open is still under way: {@code opened} and {@code closed} (guarded by the
     * instance) make sure a connection is counted open and closed once each, or not at all.
     */
    private static final class Connection {
        final StreamRoute route;

        /** Read by every thread that dead-letters for the socket. */
        volatile StreamProtocol protocol;

        boolean opened;
        boolean closed;

        Connection(StreamRoute route) {
            this.route = route;
        }
    }

    /**
     * @param routes the protocols by path
     * @param defaultRoute the protocol for any other path (Plivo's: operators put any path in their
     *     {@code <Stream>} URL)
     */
    public StreamWebSocketServer(
            InetSocketAddress address,
            List<StreamRoute> routes,
            StreamRoute defaultRoute,
            RecordSink sink,
            LongSupplier clock,
            IngestMetrics metrics) {
        super(address, List.of(new Draft_6455(List.of(), MAX_FRAME_BYTES)));
        for (StreamRoute route : routes) {
            routesByPath.put(route.path(), route);
        }
        this.defaultRoute = defaultRoute;
        this.sink = sink;
        this.clock = clock;
        this.metrics = metrics;
        setWebSocketFactory(new OrderlyCloseWebSocketFactory(new DefaultWebSocketServerFactory()));
        setReuseAddr(true);
        setTcpNoDelay(true);
        setConnectionLostTimeout(LOST_CONNECTION_TIMEOUT_SECONDS);
    }

    /** Completes with the bound port once the server listens (port 0 picks a free one). */
    public CompletableFuture<Integer> started() {
        return started;
    }

    /** Picks the route by path and refuses an upgrade its route does not authorise. */
    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
            WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder response =
                super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        StreamRoute route = route(request.getResourceDescriptor());
        if (!route.authorised().test(request)) {
            metrics.rejected("signature: upgrade");
            LOG.warn(
                    "refused a {} stream upgrade from {} without a valid signature",
                    route.name(),
                    conn.getRemoteSocketAddress());
            throw new InvalidDataException(
                    CloseFrame.POLICY_VALIDATION, "signature: missing or wrong");
        }
        conn.setAttachment(new Connection(route));
        return response;
    }

    private StreamRoute route(String resourceDescriptor) {
        String path = URI.create(resourceDescriptor).getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return routesByPath.getOrDefault(path, defaultRoute);
    }

    /** The socket's connection, created here when the handshake hook did not run. */
    private Connection connectionOf(WebSocket conn, String resourceDescriptor) {
        synchronized (conn) {
            Connection connection = conn.getAttachment();
            if (connection == null) {
                // Java-WebSocket skips the handshake hook for drafts it does not negotiate
                connection =
                        new Connection(
                                route(resourceDescriptor == null ? "/" : resourceDescriptor));
                conn.setAttachment(connection);
            }
            return connection;
        }
    }

    @Override
    public void onStart() {
        started.complete(getPort());
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        Connection connection = connectionOf(conn, handshake.getResourceDescriptor());
        synchronized (connection) {
            if (connection.closed) {
                // closed on another thread before it opened: no protocol, nothing counted
                return;
            }
            connection.protocol = connection.route.protocol().apply(conn);
            connection.opened = true;
            metrics.connectionOpened(connection.route.name());
            synchronized (streamsNotEnded) {
                streamsNotEnded[0]++;
            }
        }
        stopReadingIfPaused(conn);
        LOG.debug(
                "{} stream connection from {} on {}",
                connection.route.name(),
                conn.getRemoteSocketAddress(),
                handshake.getResourceDescriptor());
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Connection connection = conn.getAttachment();
        // the limit and the byte count are of the frame's UTF-8 payload, not of Java's chars
        int bytes = Utf8.length(message);
        // Java-WebSocket re-arms reading after each write it makes on a socket (a tap's relayed
        // message, a close): that lets one read through, which is disarmed again here
        stopReadingIfPaused(conn);
        String type = MetricLabels.INVALID;
        StreamProtocol protocol = connection.protocol;
        if (bytes > MAX_MESSAGE_BYTES) {
            tooBig(conn, connection, bytes, message);
        } else if (protocol != null) {
            type = protocol.onText(message);
        }
        metrics.messageReceived(connection.route.name(), type, bytes);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        Connection connection = conn.getAttachment();
        metrics.messageReceived(connection.route.name(), MetricLabels.INVALID, message.remaining());
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        String raw = Base64.getEncoder().encodeToString(bytes);
        if (bytes.length > MAX_MESSAGE_BYTES) {
            tooBig(conn, connection, bytes.length, raw);
            return;
        }
        deadLetter(
                connection,
                "message: expected a JSON text frame, found a binary frame of "
                        + bytes.length
                        + " bytes",
                raw);
    }

    private void tooBig(WebSocket conn, Connection connection, int size, String raw) {
        deadLetter(
                connection,
                "message: "
                        + size
                        + " bytes is over the "
                        + MAX_MESSAGE_BYTES
                        + "-byte limit; the connection is closed with 1009",
                raw);
        conn.close(CloseFrame.TOOBIG, "message over " + MAX_MESSAGE_BYTES + " bytes");
    }

    private void deadLetter(Connection connection, String reason, String raw) {
        String streamId = connection.protocol == null ? null : connection.protocol.streamId();
        sink.deadLetter(DeadLetters.of(reason, streamId, clock.getAsLong(), raw));
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Connection connection = connectionOf(conn, conn.getResourceDescriptor());
        synchronized (connection) {
            boolean wasOpen = connection.opened && !connection.closed;
            connection.closed = true;
            if (!wasOpen) {
                return;
            }
            metrics.connectionClosed(connection.route.name());
        }
        if (code == CloseFrame.TOOBIG && !remote && !reason.startsWith("message over")) {
            // Java-WebSocket refused a frame over MAX_FRAME_BYTES before it reached us
            deadLetter(
                    connection,
                    "message: a frame over the "
                            + MAX_FRAME_BYTES
                            + "-byte frame limit; the connection is closed with 1009",
                    null);
        }
        try {
            connection.protocol.onClose(code, reason);
        } finally {
            synchronized (streamsNotEnded) {
                streamsNotEnded[0]--;
                streamsNotEnded.notifyAll();
            }
        }
        LOG.debug(
                "{} stream {} closed with {} {}",
                connection.route.name(),
                connection.protocol.streamId(),
                code,
                reason);
    }

    /**
     * Closes every stream with 1001 and stops the server; returns once each stream has been told of
     * its close. Java-WebSocket's selector stops after a few idle milliseconds whether or not the
     * closing handshakes finished, and a socket whose peer never answered would never be reported
     * closed: those are closed here, so that each stream gets its end marker and closed event
     * before the producer is flushed.
     */
    /**
     * A connection closed for an oversized frame is cut after a short grace if the peer does not
     * finish the closing handshake: the rest of the frame keeps arriving after the close, the frame
     * parser cannot find the peer's close frame in it, and the connection would otherwise linger
     * half-closed until the lost-connection check (and lose its 1009).
     */
    @Override
    public void onCloseInitiated(WebSocket conn, int code, String reason) {
        if (code == CloseFrame.TOOBIG) {
            CompletableFuture.delayedExecutor(TOO_BIG_CLOSE_GRACE_MS, TimeUnit.MILLISECONDS)
                    .execute(
                            () -> {
                                if (!conn.isClosed()) {
                                    ((WebSocketImpl) conn)
                                            .closeConnection(CloseFrame.TOOBIG, reason, false);
                                }
                            });
        }
    }

    @Override
    public void stop(int timeout, String closeMessage) throws InterruptedException {
        super.stop(timeout, closeMessage);
        for (WebSocket conn : getConnections()) {
            ((WebSocketImpl) conn).closeConnection(CloseFrame.GOING_AWAY, closeMessage, false);
        }
        // a close may still be under way on a worker thread (its socket already gone from the
        // connection set): wait for it, so that its end marker comes before the final flush
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        synchronized (streamsNotEnded) {
            while (streamsNotEnded[0] > 0) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0) {
                    LOG.warn("{} streams still closing at shutdown", streamsNotEnded[0]);
                    break;
                }
                streamsNotEnded.wait(remainingMs);
            }
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

    /**
     * Stops reading every socket: their TCP windows fill and the senders slow down, while
     * accepting, writing and closing go on. Data already read (a few buffers) is still handled.
     *
     * <p>The lost-connection check stops too: its pings would re-arm reading every 30 s, and the
     * pongs, left unread, would get healthy streams dropped while Kafka is slow.
     */
    @Override
    public void pauseReading() {
        synchronized (readingLock) {
            readingPaused = true;
            setConnectionLostTimeout(0);
            for (WebSocket conn : getConnections()) {
                stopReading(conn);
            }
        }
        LOG.warn("Kafka is behind: stopped reading the stream sockets");
    }

    /** Reads every socket again, and restarts the lost-connection check with fresh pong times. */
    @Override
    public void resumeReading() {
        synchronized (readingLock) {
            readingPaused = false;
            setConnectionLostTimeout(LOST_CONNECTION_TIMEOUT_SECONDS);
            for (WebSocket conn : getConnections()) {
                SelectionKey key = ((WebSocketImpl) conn).getSelectionKey();
                try {
                    if (key != null && key.isValid()) {
                        key.interestOpsOr(SelectionKey.OP_READ);
                        key.selector().wakeup();
                    }
                } catch (CancelledKeyException e) {
                    // closed meanwhile: nothing to resume
                }
            }
        }
        LOG.info("Kafka caught up: reading the stream sockets again");
    }

    @Override
    public boolean readingPaused() {
        return readingPaused;
    }

    private void stopReadingIfPaused(WebSocket conn) {
        // the volatile read keeps the lock off the hot path while reading goes on
        if (readingPaused) {
            synchronized (readingLock) {
                if (readingPaused) {
                    stopReading(conn);
                }
            }
        }
    }

    private static void stopReading(WebSocket conn) {
        SelectionKey key = ((WebSocketImpl) conn).getSelectionKey();
        try {
            if (key != null && key.isValid()) {
                key.interestOpsAnd(~SelectionKey.OP_READ);
                // a select under way still uses the old interest: end it, or it reads once more
                key.selector().wakeup();
            }
        } catch (CancelledKeyException e) {
            // closed meanwhile: nothing to pause
        }
    }

    /** Serves {@code wss://} with the given TLS context instead of plain {@code ws://}. */
    public void useTls(SSLContext tls) {
        setWebSocketFactory(
                new OrderlyCloseWebSocketFactory(new DefaultSSLWebSocketServerFactory(tls)));
    }
}
