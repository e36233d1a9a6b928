package io.callpulse.ingest.plivo;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.TestStreamClient;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.ingest.websocket.StreamWebSocketServer;
import io.callpulse.records.plivo.PlivoSignatureV3;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        startServer(null);
    }

    private void startServer(String publicBaseUrl) throws Exception {
        server =
                new StreamWebSocketServer(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(),
                        PlivoRoutes.stream(
                                "/stream",
                                new PlivoRequestVerifier(TOKEN, publicBaseUrl),
                                sink,
                                () -> 1L),
                        sink,
                        () -> 1L,
                        new IngestMetrics());
        server.start();
        port = server.started().get(10, TimeUnit.SECONDS);
    }

    private static Map<String, String> signedFor(String url, String nonce) {
        return Map.of(
                PlivoRequestVerifier.SIGNATURE,
                PlivoSignatureV3.compute(TOKEN, "GET", url, Map.of(), nonce),
                PlivoRequestVerifier.NONCE,
                nonce);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(2_000);
    }

    private URI streamUrl() {
        return URI.create("ws://127.0.0.1:" + port + "/stream?x=1");
    }

    private boolean connects(Map<String, String> headers) throws Exception {
        return TestStreamClient.opens(streamUrl(), headers);
    }

    @Test
    void anUnsignedUpgradeIsRefusedWithAnHttpErrorBeforeTheSocketOpens() throws Exception {
        TestStreamClient client = TestStreamClient.connect(streamUrl(), Map.of(), null);

        assertThat(client.opened.get()).isFalse();
        // Java-WebSocket answers every refused upgrade with 404, whatever the reason
        assertThat(client.upgradeStatus.get(10, TimeUnit.SECONDS)).isEqualTo(404);
        assertThat(sink.events).isEmpty();
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

    @Test
    void anUpgradeSignedForThePlainHttpUrlIsAccepted() throws Exception {
        assertThat(connects(signedFor("http://127.0.0.1:" + port + "/stream?x=1", "n2"))).isTrue();
    }

    @Test
    void behindAProxyAWssUpgradeSignedForThePublicBaseUrlIsAccepted() throws Exception {
        server.stop(2_000);
        // configured for Plivo's https:// callbacks; the stream is dialled as wss://
        startServer("https://callpulse.example.com");

        assertThat(connects(signedFor("wss://callpulse.example.com/stream?x=1", "n3"))).isTrue();
        assertThat(connects(signedFor("wss://elsewhere.example.com/stream?x=1", "n4"))).isFalse();
    }
}
