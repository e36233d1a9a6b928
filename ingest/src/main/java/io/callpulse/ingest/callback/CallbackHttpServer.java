package io.callpulse.ingest.callback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the ingest: {@code /status} for Plivo's status callbacks (POST form or GET
 * query), {@code /healthz}, {@code /metrics} (Prometheus), and {@code /answer} when an answer
 * handler is given.
 */
public final class CallbackHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private CallbackHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param ready whether the service can do its work (Kafka reachable), for {@code /healthz}
     * @param tls the server's TLS, or {@code null} for plain HTTP
     * @param answer serves Plivo's answer URL on {@code /answer}, or {@code null} for none
     */
    public static CallbackHttpServer start(
            InetSocketAddress address,
            StatusCallbacks callbacks,
            PlivoRequestVerifier verifier,
            BooleanSupplier ready,
            IngestMetrics metrics,
            SSLContext tls,
            HttpHandler answer) {
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
        if (answer != null) {
            server.createContext("/answer", answer);
        }
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
            Optional<PlivoHttpRequest> read = PlivoHttpRequest.read(exchange);
            if (read.isEmpty()) {
                return;
            }
            PlivoHttpRequest request = read.get();
            if (!request.signedBy(verifier)) {
                LOG.warn("refused a status callback without a valid Plivo signature");
                metrics.rejected("signature: callback");
                respond(exchange, 403, PlivoHttpRequest.UNSIGNED);
                return;
            }
            switch (callbacks.accept(request.params(), request.raw())) {
                case RECORDED -> respond(exchange, 200, "recorded\n");
                case DUPLICATE -> respond(exchange, 200, "duplicate\n");
                case REFUSED -> respond(exchange, 400, "StreamID and Event: both required\n");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        PlivoHttpRequest.respond(exchange, status, PlivoHttpRequest.TEXT, text);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
