package io.callpulse.ingest.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.StreamProtocol;
import io.callpulse.ingest.TestStreamClient;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.metrics.MetricLabels;
import io.callpulse.ingest.plivo.PlivoRoutes;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.HandshakeImpl1Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket endpoint over real sockets, on Plivo's route: limits, frames, backpressure. */
class StreamWebSocketServerTest {

    private static final long NOW = 1_705_312_200_000L;
    private static final String START =
            """
            {"event":"start","sequenceNumber":1,
             "start":{"callId":"call-1","streamId":"stream-1","accountId":"MA1",
                      "tracks":["inbound"],
                      "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000}}}\
            """;

    /** Megabytes the flooding route writes: more than loopback's socket buffers hold. */
    private static final int FLOOD_MEGABYTES = 32;

    private final CollectingSink sink = new CollectingSink();
    private final CompletableFuture<Void> flooded = new CompletableFuture<>();
    private final CompletableFuture<Integer> floodClose = new CompletableFuture<>();
    private final IngestMetrics metrics = new IngestMetrics();
    private StreamWebSocketServer server;
    private URI streamUrl;

    @BeforeEach
    void start() throws Exception {
        server =
                new StreamWebSocketServer(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(floodingRoute()),
                        PlivoRoutes.stream(
                                "/stream", new PlivoRequestVerifier(null, null), sink, () -> NOW),
                        sink,
                        () -> NOW,
                        metrics);
        server.start();
        streamUrl =
                URI.create("ws://127.0.0.1:" + server.started().get(10, TimeUnit.SECONDS) + "/");
    }

    /** A route whose protocol answers a message with more than its peer can take unread. */
    private StreamRoute floodingRoute() {
        return new StreamRoute(
                "/flood",
                "flood",
                request -> true,
                conn ->
                        new StreamProtocol() {
                            @Override
                            public String onText(String message) {
                                String megabyte = "x".repeat(1024 * 1024);
                                for (int i = 0; i < FLOOD_MEGABYTES; i++) {
                                    conn.send(megabyte);
                                }
                                flooded.complete(null);
                                return MetricLabels.OTHER;
                            }

                            @Override
                            public void onClose(int code, String reason) {
                                floodClose.complete(code);
                            }

                            @Override
                            public String streamId() {
                                return null;
                            }
                        });
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(2_000);
    }

    @Test
    void whilePausedTheLostConnectionCheckIsStoppedAndResumingRestoresIt() {
        assertThat(server.getConnectionLostTimeout()).isEqualTo(30);

        server.pauseReading();
        assertThat(server.getConnectionLostTimeout()).isZero();

        server.resumeReading();
        assertThat(server.getConnectionLostTimeout()).isEqualTo(30);
    }

    @Test
    void whilePausedASocketIsReadOnceAfterTheUpgradeResponseThenNotUntilResumed() throws Exception {
        server.pauseReading();
        TestStreamClient client = TestStreamClient.connect(streamUrl);
        // writing the upgrade's response re-arms reading: one read gets through
        client.send(START);
        sink.awaitEvent(StreamEvent.Types.START);

        // a read already under way when reading was disarmed may still take one more message;
        // after that, nothing is read until reading resumes
        client.send("{\"event\":\"dtmf\",\"streamId\":\"stream-1\",\"dtmf\":{\"digit\":\"5\"}}");
        Thread.sleep(300);
        client.send("{\"event\":\"dtmf\",\"streamId\":\"stream-1\",\"dtmf\":{\"digit\":\"6\"}}");
        Thread.sleep(300);
        assertThat(sink.events)
                .extracting(
                        event ->
                                event.attributes() == null
                                        ? null
                                        : event.attributes().get("dtmf.digit"))
                .doesNotContain("6");

        server.resumeReading();
        CollectingSink.await(
                () ->
                        sink.events.stream()
                                .anyMatch(
                                        event ->
                                                event.attributes() != null
                                                        && "6"
                                                                .equals(
                                                                        event.attributes()
                                                                                .get(
                                                                                        "dtmf.digit"))),
                Duration.ofSeconds(10),
                "the second digit once reading resumed");
        assertThat(sink.events)
                .extracting(StreamEvent::type)
                .containsExactly("start", "dtmf", "dtmf");
    }

    @Test
    void aBinaryFrameIsDeadLetteredAndTheConnectionGoesOn() throws Exception {
        TestStreamClient client = TestStreamClient.connect(streamUrl);

        client.send(new byte[] {1, 2, 3});
        client.send(START);

        sink.awaitEvent(StreamEvent.Types.START);
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::reason, DeadLetter::raw)
                .containsExactly(
                        tuple(
                                "message: expected a JSON text frame, found a binary frame of 3"
                                        + " bytes",
                                "AQID"));
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void aFrameOverOneMegabyteClosesWith1009AndIsDeadLettered() throws Exception {
        TestStreamClient client = TestStreamClient.connect(streamUrl);
        client.send(START);

        client.send(new byte[StreamWebSocketServer.MAX_FRAME_BYTES + 1]);

        // the server closes with 1009 while the client may still be writing its megabyte, so
        // the client may see the connection reset (1006): the server's side is what is checked
        client.awaitClose();
        sink.awaitEvent(StreamEvent.Types.CLOSED);
        assertThat(sink.events)
                .filteredOn(event -> event.type().equals(StreamEvent.Types.CLOSED))
                .extracting(StreamEvent::closeCode)
                .containsExactly(1009);
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::reason, DeadLetter::raw, DeadLetter::streamId)
                .containsExactly(
                        tuple(
                                "message: a frame over the 1048576-byte frame limit; the"
                                        + " connection is closed with 1009",
                                null,
                                "stream-1"));
    }

    @Test
    void theSizeLimitAndTheByteCountAreOfUtf8BytesNotChars() throws Exception {
        TestStreamClient client = TestStreamClient.connect(streamUrl);
        // 40,000 chars, 80,000 bytes: under the limit in chars, over it in bytes
        String message = "{\"event\":\"media\",\"pad\":\"" + "é".repeat(40_000) + "\"}";
        int bytes = message.getBytes(StandardCharsets.UTF_8).length;

        client.send(message);

        assertThat(client.awaitClose()).isEqualTo(1009);
        CollectingSink.await(
                () -> !sink.deadLetters.isEmpty(), Duration.ofSeconds(10), "the dead letter");
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::reason)
                .containsExactly(
                        "message: "
                                + bytes
                                + " bytes is over the 65536-byte limit; the connection is closed"
                                + " with 1009");
        // counted on the server's thread once the message is handled, after the dead letter
        String counted = "callpulse_ingest_received_bytes_total{route=\"plivo\"} " + bytes + "\n";
        CollectingSink.await(
                () -> metrics.renderPrometheus().contains(counted),
                Duration.ofSeconds(10),
                "the byte count");
    }

    @Test
    void messagesAreCountedByTypeFromABoundedSet() throws Exception {
        TestStreamClient client = TestStreamClient.connect(streamUrl);

        client.send(START);
        client.send("{\"event\":\"muteStream\",\"streamId\":\"stream-1\"}");
        client.send("{\"event\":\"anything-a-sender-likes-1\",\"streamId\":\"stream-1\"}");
        client.send("{\"event\":\"anything-a-sender-likes-2\",\"streamId\":\"stream-1\"}");
        client.send("not JSON");
        client.send(new byte[] {1});
        // counted once handled, by the worker that decodes this socket's frames in order
        CollectingSink.await(
                () -> metrics.messageCount("plivo", MetricLabels.INVALID) == 2,
                Duration.ofSeconds(10),
                "the binary frame counted");

        String text = metrics.renderPrometheus();
        assertThat(text)
                .contains("callpulse_ingest_messages_total{route=\"plivo\",type=\"start\"} 1\n")
                .contains(
                        "callpulse_ingest_messages_total{route=\"plivo\",type=\"muteStream\"} 1\n")
                .contains("callpulse_ingest_messages_total{route=\"plivo\",type=\"other\"} 2\n")
                .contains("callpulse_ingest_messages_total{route=\"plivo\",type=\"invalid\"} 2\n");
        assertThat(text.lines().filter(line -> line.startsWith("callpulse_ingest_messages_total{")))
                .hasSize(4);
    }

    @Test
    void onStopAStreamWhoseCloseFrameCannotBeWrittenIsStillClosed() throws Exception {
        try (Socket peer = silentPeer(server.getPort(), "/flood")) {
            sendText(peer, "flood me");
            CollectingSink.await(flooded::isDone, Duration.ofSeconds(10), "the flood queued");

            server.stop(500, "shutting down");

            // the close frame waits behind what the peer never reads; the stream ends anyway
            assertThat(floodClose).isCompletedWithValue(1001);
        }
    }

    @Test
    void aCloseThatOvertakesTheOpenLeavesNothingCountedOrOpen() throws Exception {
        WebSocket conn = detachedSocket();
        HandshakeImpl1Client upgrade = new HandshakeImpl1Client();
        upgrade.setResourceDescriptor("/stream");
        server.onWebsocketHandshakeReceivedAsServer(conn, new Draft_6455(), upgrade);

        // the close, on another thread, runs before the open has created the protocol
        server.onClose(conn, 1006, "dropped", true);
        server.onOpen(conn, upgrade);
        server.onMessage(conn, START);

        assertThat(metrics.renderPrometheus())
                .doesNotContain("callpulse_ingest_connections_open{route=\"plivo\"} 1")
                .doesNotContain("callpulse_ingest_connections_total{route=\"plivo\"}");
        assertThat(sink.events).isEmpty();
    }

    @Test
    void aConnectionIsCountedOpenUntilItCloses() throws Exception {
        WebSocket conn = detachedSocket();
        HandshakeImpl1Client upgrade = new HandshakeImpl1Client();
        upgrade.setResourceDescriptor("/stream");
        server.onWebsocketHandshakeReceivedAsServer(conn, new Draft_6455(), upgrade);

        server.onOpen(conn, upgrade);
        assertThat(metrics.renderPrometheus())
                .contains("callpulse_ingest_connections_open{route=\"plivo\"} 1\n");

        server.onClose(conn, 1006, "dropped", true);
        server.onClose(conn, 1006, "dropped", true);
        assertThat(metrics.renderPrometheus())
                .contains("callpulse_ingest_connections_open{route=\"plivo\"} 0\n")
                .contains("callpulse_ingest_connections_total{route=\"plivo\"} 1\n");
    }

    /**
     * A socket with no network behind it, to drive the server's callbacks in an order a real socket
     * produces only by chance: it keeps its attachment and answers nothing else.
     */
    private static WebSocket detachedSocket() {
        Object[] attachment = new Object[1];
        return (WebSocket)
                Proxy.newProxyInstance(
                        WebSocket.class.getClassLoader(),
                        new Class<?>[] {WebSocket.class},
                        (proxy, method, args) ->
                                switch (method.getName()) {
                                    case "setAttachment" -> {
                                        attachment[0] = args[0];
                                        yield null;
                                    }
                                    case "getAttachment" -> attachment[0];
                                    case "getResourceDescriptor" -> "/stream";
                                    case "hashCode" -> System.identityHashCode(proxy);
                                    case "equals" -> proxy == args[0];
                                    default -> null;
                                });
    }

    /**
     * A peer that upgrades and then never reads: it never answers the server's close frame.
     * Java-WebSocket's own client always does, so this one speaks the protocol by hand.
     */
    private static Socket silentPeer(int port, String path) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        socket.getOutputStream()
                .write(
                        ("GET "
                                        + path
                                        + " HTTP/1.1\r\nHost: 127.0.0.1:"
                                        + port
                                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                        + "Sec-WebSocket-Key: "
                                        + key
                                        + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new AssertionError("the server closed during the upgrade: " + head);
            }
            head.append((char) next);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return socket;
    }

    /** Writes one masked text frame, as a client must. */
    private static void sendText(Socket socket, String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame.toByteArray());
        socket.getOutputStream().flush();
    }
}
