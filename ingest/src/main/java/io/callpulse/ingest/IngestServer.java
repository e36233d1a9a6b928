package io.callpulse.ingest;

import io.callpulse.ingest.callback.CallbackHttpServer;
import io.callpulse.ingest.callback.StatusCallbacks;
import io.callpulse.ingest.element.AnswerHandler;
import io.callpulse.ingest.kafka.KafkaRecordPublisher;
import io.callpulse.ingest.plivo.PlivoWebSocketServer;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest service: wiring and lifecycle of the WebSocket endpoint and the Kafka producer. */
public final class IngestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);

    private final KafkaRecordPublisher publisher;
    private final PlivoWebSocketServer streamServer;
    private final int streamPort;
    private final CallbackHttpServer httpServer;

    private IngestServer(
            KafkaRecordPublisher publisher,
            PlivoWebSocketServer streamServer,
            int streamPort,
            CallbackHttpServer httpServer) {
        this.publisher = publisher;
        this.streamServer = streamServer;
        this.streamPort = streamPort;
        this.httpServer = httpServer;
    }

    /** Starts listening and returns once the port is bound. */
    public static IngestServer start(IngestConfig config) {
        KafkaRecordPublisher publisher =
                new KafkaRecordPublisher(config.kafkaBootstrapServers(), config.topics());
        PlivoRequestVerifier verifier =
                new PlivoRequestVerifier(config.authToken(), config.publicBaseUrl());
        if (!verifier.enforcing()) {
            LOG.warn(
                    "NO PLIVO AUTH TOKEN IS CONFIGURED (callpulse.plivo.auth.token): stream"
                            + " upgrades and status callbacks are accepted without checking their"
                            + " signature. Set it before exposing this service.");
        }
        PlivoWebSocketServer streamServer =
                new PlivoWebSocketServer(
                        new InetSocketAddress(config.host(), config.streamPort()),
                        publisher,
                        System::currentTimeMillis,
                        verifier);
        streamServer.start();
        int port;
        try {
            port = streamServer.started().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            publisher.close();
            throw new IllegalStateException("interrupted while starting the ingest", e);
        } catch (ExecutionException | TimeoutException e) {
            publisher.close();
            throw new IllegalStateException(
                    "the ingest could not listen on " + config.host() + ":" + config.streamPort(),
                    e);
        }
        CallbackHttpServer httpServer =
                CallbackHttpServer.start(
                        new InetSocketAddress(config.host(), config.httpPort()),
                        new StatusCallbacks(publisher, System::currentTimeMillis),
                        verifier,
                        publisher::kafkaReachable,
                        config.answer() == null
                                ? null
                                : new AnswerHandler(config.answer(), verifier));
        LOG.info(
                "ingest listening for Plivo streams on ws://{}:{}/stream, status callbacks on"
                        + " http://{}:{}/status",
                config.host(),
                port,
                config.host(),
                httpServer.port());
        if (config.answer() != null) {
            LOG.info(
                    "answer URL for Plivo on http://{}:{}/answer",
                    config.host(),
                    httpServer.port());
        }
        return new IngestServer(publisher, streamServer, port, httpServer);
    }

    /** The bound HTTP port (status callbacks, health). */
    public int httpPort() {
        return httpServer.port();
    }

    /** The bound WebSocket port. */
    public int streamPort() {
        return streamPort;
    }

    public KafkaRecordPublisher publisher() {
        return publisher;
    }

    /** Stops accepting, closes the streams (1001, going away), then flushes the producer. */
    @Override
    public void close() {
        httpServer.close();
        try {
            streamServer.stop(5_000, "callpulse ingest shutting down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.flush();
        publisher.close();
        LOG.info("ingest stopped");
    }
}
