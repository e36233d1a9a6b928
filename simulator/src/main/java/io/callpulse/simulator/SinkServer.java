package io.callpulse.simulator;

import com.sun.net.httpserver.HttpServer;
import io.callpulse.records.plivo.PlivoSignatureV3;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A bare server that only counts: a Java-WebSocket server accepting any upgrade on any path, and an
 * HTTP server answering every callback with 200. It stands in for the ingest when measuring the
 * simulator itself, without Kafka.
 */
public final class SinkServer implements AutoCloseable {

    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder connections = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder callbacks = new LongAdder();
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> callbackEvents = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closeFrames = new ConcurrentHashMap<>();
    private final LongAdder messagesBeforeCloseFrames = new LongAdder();
    private final LongAdder goodSignatures = new LongAdder();

    /** Touched only by the connection's own decoder thread. */
    private static final class PerConnection {
        long messages;
        boolean closeFrame;
    }

    private final LongAdder badSignatures = new LongAdder();
    private final String authToken;
    private final WebSocketServer webSocket;
    private final HttpServer http;
    private final ExecutorService httpExecutor;

    /**
     * @param webSocketPort the WebSocket port (0 for any)
     * @param httpPort the callback port (0 for any)
     */
    public SinkServer(int webSocketPort, int httpPort) throws IOException {
        this(webSocketPort, httpPort, null);
    }

    /**
     * @param authToken when set, every upgrade and callback's X-Plivo-Signature-V3 is checked
     *     against the URL under the request's Host (counted, never refused)
     */
    public SinkServer(int webSocketPort, int httpPort, String authToken) throws IOException {
        this.authToken = authToken;
        webSocket =
                new WebSocketServer(new InetSocketAddress(webSocketPort)) {
                    @Override
                    public void onOpen(WebSocket conn, ClientHandshake handshake) {
                        checkSignature(
                                "GET",
                                "ws://"
                                        + handshake.getFieldValue("Host")
                                        + handshake.getResourceDescriptor(),
                                Map.of(),
                                handshake::getFieldValue);
                        conn.setAttachment(new PerConnection());
                        open.incrementAndGet();
                        connections.increment();
                    }

                    @Override
                    public void onClosing(WebSocket conn, int code, String reason, boolean remote) {
                        if (remote) {
                            closeFrames.computeIfAbsent(code, c -> new LongAdder()).increment();
                            conn.<PerConnection>getAttachment().closeFrame = true;
                        }
                    }

                    @Override
                    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
                        open.decrementAndGet();
                        closeCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
                        PerConnection connection = conn.getAttachment();
                        if (connection != null && connection.closeFrame) {
                            messagesBeforeCloseFrames.add(connection.messages);
                        }
                    }

                    @Override
                    public void onMessage(WebSocket conn, String message) {
                        messages.increment();
                        conn.<PerConnection>getAttachment().messages++;
                        bytes.add(message.length());
                        events.computeIfAbsent(eventOf(message), e -> new LongAdder()).increment();
                    }

                    @Override
                    public void onMessage(WebSocket conn, ByteBuffer message) {
                        messages.increment();
                        bytes.add(message.remaining());
                    }

                    @Override
                    public void onError(WebSocket conn, Exception ex) {}

                    @Override
                    public void onStart() {}
                };
        webSocket.setReuseAddr(true);
        webSocket.setTcpNoDelay(true);
        http = HttpServer.create(new InetSocketAddress(httpPort), 256);
        httpExecutor = Executors.newFixedThreadPool(2, LoadRun.daemon("sink-http"));
        http.setExecutor(httpExecutor);
        http.createContext(
                "/",
                exchange -> {
                    try (exchange;
                            InputStream body = exchange.getRequestBody()) {
                        String form =
                                new String(
                                        body.readAllBytes(),
                                        java.nio.charset.StandardCharsets.UTF_8);
                        callbacks.increment();
                        String event = "";
                        for (String pair : form.split("&")) {
                            if (pair.startsWith("Event=")) {
                                event = pair.substring(6);
                            }
                        }
                        callbackEvents.computeIfAbsent(event, e -> new LongAdder()).increment();
                        checkSignature(
                                "POST",
                                "http://"
                                        + exchange.getRequestHeaders().getFirst("Host")
                                        + exchange.getRequestURI(),
                                formParams(form),
                                exchange.getRequestHeaders()::getFirst);
                        exchange.sendResponseHeaders(200, -1);
                    }
                });
    }

    private void checkSignature(
            String method,
            String url,
            Map<String, java.util.List<String>> params,
            java.util.function.Function<String, String> header) {
        if (authToken == null) {
            return;
        }
        String nonce = header.apply(PlivoSignatureV3.NONCE_HEADER);
        String offered = header.apply(PlivoSignatureV3.SIGNATURE_HEADER);
        if (nonce != null
                && !nonce.isEmpty()
                && PlivoSignatureV3.compute(authToken, method, url, params, nonce)
                        .equals(offered)) {
            goodSignatures.increment();
        } else {
            badSignatures.increment();
        }
    }

    static Map<String, java.util.List<String>> formParams(String form) {
        Map<String, java.util.List<String>> params = new TreeMap<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k =
                    java.net.URLDecoder.decode(
                            eq < 0 ? pair : pair.substring(0, eq),
                            java.nio.charset.StandardCharsets.UTF_8);
            String v =
                    eq < 0
                            ? ""
                            : java.net.URLDecoder.decode(
                                    pair.substring(eq + 1),
                                    java.nio.charset.StandardCharsets.UTF_8);
            params.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
        }
        return params;
    }

    /** Requests whose signature matched (only counted with a token). */
    public long goodSignatures() {
        return goodSignatures.sum();
    }

    /** Requests whose signature was missing or wrong (only counted with a token). */
    public long badSignatures() {
        return badSignatures.sum();
    }

    /** The event name of a message, found without parsing it; "(not json)" if there is none. */
    static String eventOf(String message) {
        int at = message.indexOf("\"event\":\"");
        if (at < 0) {
            return "(none)";
        }
        int from = at + 9;
        int to = message.indexOf('"', from);
        return to < 0 ? "(none)" : message.substring(from, to);
    }

    public void start() throws InterruptedException {
        webSocket.start();
        // WebSocketServer binds on its own thread: wait until the port is known
        long until = System.nanoTime() + 10_000_000_000L;
        while (webSocket.getPort() == 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        http.start();
    }

    public int webSocketPort() {
        return webSocket.getPort();
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    public int open() {
        return open.get();
    }

    public long connections() {
        return connections.sum();
    }

    public long messages() {
        return messages.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    public long callbacks() {
        return callbacks.sum();
    }

    public Map<String, Long> events() {
        Map<String, Long> out = new TreeMap<>();
        events.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Map<Integer, Long> closeCodes() {
        Map<Integer, Long> out = new TreeMap<>();
        closeCodes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * Close frames received, by code. Unlike {@link #closeCodes()} this is exact: Java-WebSocket
     * may report a clean close as 1006 when the peer's end of stream races its close frame.
     */
    public Map<Integer, Long> closeFrames() {
        Map<Integer, Long> out = new TreeMap<>();
        closeFrames.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * Messages received on the connections that ended with a close frame. Exact, unlike {@link
     * #messages()} after a connection is cut: Java-WebSocket drops the frames it has read but not
     * yet decoded when it sees the end of the stream.
     */
    public long messagesBeforeCloseFrames() {
        return messagesBeforeCloseFrames.sum();
    }

    public Map<String, Long> callbackEvents() {
        Map<String, Long> out = new TreeMap<>();
        callbackEvents.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public String line() {
        return "sink: open "
                + open.get()
                + "  connections "
                + connections.sum()
                + "  messages "
                + messages.sum()
                + "  bytes "
                + bytes.sum()
                + "  callbacks "
                + callbacks.sum()
                + (authToken == null
                        ? ""
                        : "  signatures good "
                                + goodSignatures.sum()
                                + " bad "
                                + badSignatures.sum());
    }

    @Override
    public void close() throws InterruptedException {
        http.stop(0);
        httpExecutor.shutdownNow();
        webSocket.stop(1000);
    }
}
