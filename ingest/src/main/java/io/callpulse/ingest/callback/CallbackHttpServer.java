package io.callpulse.ingest.callback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.ingest.security.PlivoSignatureV3;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the ingest: {@code /status} for Plivo's status callbacks (POST form or GET
 * query), {@code /healthz} and {@code /metrics} (Prometheus).
 */
public final class CallbackHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackHttpServer.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;

    private CallbackHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param ready whether the service can do its work (Kafka reachable), for {@code /healthz}
     * @param tls the server's TLS, or {@code null} for plain HTTP
     */
    public static CallbackHttpServer start(
            InetSocketAddress address,
            StatusCallbacks callbacks,
            PlivoRequestVerifier verifier,
            BooleanSupplier ready,
            IngestMetrics metrics,
            SSLContext tls) {
        HttpServer server;
        try {
            if (tls == null) {
                server = HttpServer.create(address, 64);
            } else {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext(
                "/status", exchange -> handleStatus(exchange, callbacks, verifier, metrics));
        server.createContext(
                "/healthz",
                exchange -> {
                    try (exchange) {
                        boolean up = ready.getAsBoolean();
                        respond(
                                exchange,
                                up ? 200 : 503,
                                up ? "ready\n" : "not ready: Kafka unreachable\n");
                    }
                });
        server.createContext(
                "/metrics",
                exchange -> {
                    try (exchange) {
                        byte[] text = metrics.renderPrometheus().getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders()
                                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                        exchange.sendResponseHeaders(200, text.length);
                        exchange.getResponseBody().write(text);
                    }
                });
        server.start();
        return new CallbackHttpServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void handleStatus(
            HttpExchange exchange,
            StatusCallbacks callbacks,
            PlivoRequestVerifier verifier,
            IngestMetrics metrics)
            throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("POST") && !method.equals("GET")) {
                respond(exchange, 405, "method: expected GET or POST\n");
                return;
            }
            String target = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            if (rawQuery != null) {
                target += "?" + rawQuery;
            }
            String body = method.equals("POST") ? readBody(exchange.getRequestBody()) : null;
            if (body == null && method.equals("POST")) {
                respond(exchange, 413, "body: expected at most " + MAX_BODY_BYTES + " bytes\n");
                return;
            }
            TreeMap<String, List<String>> form =
                    method.equals("POST") ? PlivoSignatureV3.parseQuery(body) : new TreeMap<>();
            if (!verifier.verify(
                    method,
                    target,
                    name -> exchange.getRequestHeaders().getFirst(name),
                    form,
                    List.of("https", "http"))) {
                LOG.warn("refused a status callback without a valid Plivo signature");
                metrics.rejected("signature: callback");
                respond(exchange, 403, "signature: X-Plivo-Signature-V3 missing or wrong\n");
                return;
            }
            Map<String, List<String>> params = new TreeMap<>(PlivoSignatureV3.parseQuery(rawQuery));
            params.putAll(form);
            String raw = method + " " + target + (body == null ? "" : "\n" + body);
            switch (callbacks.accept(params, raw)) {
                case RECORDED -> respond(exchange, 200, "recorded\n");
                case DUPLICATE -> respond(exchange, 200, "duplicate\n");
                case REFUSED -> respond(exchange, 400, "StreamID and Event: both required\n");
            }
        }
    }

    /** The body as text, or {@code null} when it is over the limit. */
    private static String readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
