package io.callpulse.ingest.plivo;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.ingest.security.PlivoSignatureV3;
import io.callpulse.ingest.websocket.StreamWebSocketServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With a token configured, a real WebSocket upgrade is accepted only when Plivo signed it. */
class SignedUpgradeTest {

    private static final String TOKEN = "my_auth_token";

    private final CollectingSink sink = new CollectingSink();
    private StreamWebSocketServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server =
                new StreamWebSocketServer(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(),
                        PlivoRoutes.stream(
                                "/stream", new PlivoRequestVerifier(TOKEN, null), sink, () -> 1L),
                        sink,
                        () -> 1L,
                        new IngestMetrics());
        server.start();
        port = server.started().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(2_000);
    }

    /** Connects with the given headers; completes with true once open, false once refused. */
    private boolean connects(Map<String, String> headers) throws Exception {
        CompletableFuture<Boolean> opened = new CompletableFuture<>();
        WebSocketClient client =
                new WebSocketClient(URI.create("ws://127.0.0.1:" + port + "/stream?x=1"), headers) {
                    @Override
                    public void onOpen(ServerHandshake handshake) {
                        opened.complete(true);
                    }

                    @Override
                    public void onMessage(String message) {}

                    @Override
                    public void onMessage(ByteBuffer bytes) {}

                    @Override
                    public void onClose(int code, String reason, boolean remote) {
                        opened.complete(false);
                    }

                    @Override
                    public void onError(Exception ex) {
                        opened.complete(false);
                    }
                };
        client.connect();
        try {
            return opened.get(10, TimeUnit.SECONDS);
        } finally {
            client.closeBlocking();
        }
    }

    @Test
    void anUnsignedUpgradeIsRefused() throws Exception {
        assertThat(connects(Map.of())).isFalse();
    }

    @Test
    void aWronglySignedUpgradeIsRefused() throws Exception {
        assertThat(
                        connects(
                                Map.of(
                                        PlivoRequestVerifier.SIGNATURE, "bm9wZQ==",
                                        PlivoRequestVerifier.NONCE, "12345")))
                .isFalse();
    }

    @Test
    void anUpgradeSignedForTheWssUrlIsAccepted() throws Exception {
        // Plivo dialled wss:// through a TLS terminator; the ingest sees plain ws://
        String signature =
                PlivoSignatureV3.compute(
                        TOKEN, "GET", "wss://127.0.0.1:" + port + "/stream?x=1", Map.of(), "12345");
        assertThat(
                        connects(
                                Map.of(
                                        PlivoRequestVerifier.SIGNATURE,
                                        signature,
                                        PlivoRequestVerifier.NONCE,
                                        "12345")))
                .isTrue();
    }

    @Test
    void anUpgradeSignedForTheHttpsUrlWithTheMainAccountHeaderIsAccepted() throws Exception {
        String signature =
                PlivoSignatureV3.compute(
                        TOKEN, "GET", "https://127.0.0.1:" + port + "/stream?x=1", Map.of(), "n1");
        assertThat(
                        connects(
                                Map.of(
                                        PlivoRequestVerifier.MAIN_ACCOUNT_SIGNATURE,
                                        signature,
                                        PlivoRequestVerifier.NONCE,
                                        "n1")))
                .isTrue();
    }
}
