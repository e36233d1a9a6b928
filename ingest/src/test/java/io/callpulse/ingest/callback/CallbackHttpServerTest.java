package io.callpulse.ingest.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.records.plivo.PlivoSignatureV3;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackHttpServerTest {

    private static final String FORM =
            "Event=StartStream&StreamID=abc&CallUUID=u1&Timestamp=2024-10-14+13%3A42%3A33";

    private final CollectingSink sink = new CollectingSink();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean kafkaReady = new AtomicBoolean(true);
    private final IngestMetrics metrics = new IngestMetrics();
    private CallbackHttpServer server;

    private void start(String token) {
        server =
                CallbackHttpServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        new StatusCallbacks(sink, () -> 1L),
                        new PlivoRequestVerifier(token, null),
                        kafkaReady::get,
                        metrics,
                        null,
                        null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String form, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/status"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPostedCallbackIsRecordedOnceEvenWhenRetried() throws Exception {
        start(null);
        HttpResponse<String> first = post(FORM, Map.of());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("recorded\n");
        assertThat(post(FORM, Map.of()).body()).isEqualTo("duplicate\n");
        assertThat(sink.events).hasSize(1);
        assertThat(sink.events.get(0).type()).isEqualTo("StartStream");
        assertThat(sink.events.get(0).eventTimeMs()).isEqualTo(1_728_913_353_000L);
        assertThat(sink.events.get(0).attributes())
                .containsEntry("Timestamp", "2024-10-14 13:42:33");
    }

    @Test
    void aGetCallbackReadsTheQuery() throws Exception {
        start(null);
        HttpResponse<String> response = get("/status?Event=StopStream&StreamID=s9&CallUUID=u9");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sink.events.get(0).type()).isEqualTo("StopStream");
        assertThat(sink.events.get(0).callId()).isEqualTo("u9");
    }

    @Test
    void aCallbackWithoutStreamIdIsABadRequest() throws Exception {
        start(null);
        HttpResponse<String> response = post("Event=StartStream", Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(sink.deadLetters).hasSize(1);
    }

    @Test
    void withATokenOnlySignedCallbacksAreRecorded() throws Exception {
        start("my_auth_token");
        assertThat(post(FORM, Map.of()).statusCode()).isEqualTo(403);
        assertThat(
                        post(
                                        FORM,
                                        Map.of(
                                                PlivoRequestVerifier.SIGNATURE, "bm90IGl0",
                                                PlivoRequestVerifier.NONCE, "12345"))
                                .statusCode())
                .isEqualTo(403);
        assertThat(sink.events).isEmpty();

        String url = "http://127.0.0.1:" + server.port() + "/status";
        String signature =
                PlivoSignatureV3.compute(
                        "my_auth_token", "POST", url, PlivoSignatureV3.parseQuery(FORM), "12345");
        HttpResponse<String> signed =
                post(
                        FORM,
                        Map.of(
                                PlivoRequestVerifier.SIGNATURE,
                                "other=," + signature,
                                PlivoRequestVerifier.NONCE,
                                "12345"));
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(sink.events).hasSize(1);
        assertThat(get("/metrics").body())
                .contains("callpulse_ingest_rejects_total{reason=\"signature\"} 2\n");
    }

    @Test
    void metricsAreServedInPrometheusTextFormat() throws Exception {
        start(null);
        HttpResponse<String> metricsPage = get("/metrics");
        assertThat(metricsPage.statusCode()).isEqualTo(200);
        assertThat(metricsPage.headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metricsPage.body())
                .contains("# TYPE callpulse_ingest_kafka_send_latency_seconds histogram\n");
    }

    @Test
    void healthIsReadyOnlyWhileKafkaIsReachable() throws Exception {
        start(null);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        kafkaReady.set(false);
        HttpResponse<String> down = get("/healthz");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("not ready: Kafka unreachable\n");
    }

    @Test
    void otherMethodsAreRefused() throws Exception {
        start(null);
        HttpResponse<String> put =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + server.port() + "/status"))
                                .PUT(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(sink.events).isEmpty();
    }
}
