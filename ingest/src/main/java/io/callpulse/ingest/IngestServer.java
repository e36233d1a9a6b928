package io.callpulse.ingest;

import io.callpulse.ingest.callback.CallbackHttpServer;
import io.callpulse.ingest.callback.StatusCallbacks;
import io.callpulse.ingest.element.AnswerHandler;
import io.callpulse.ingest.kafka.KafkaRecordPublisher;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.plivo.PlivoRoutes;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.ingest.security.TwilioRequestVerifier;
import io.callpulse.ingest.tap.TapRoutes;
import io.callpulse.ingest.twilio.TwilioRoutes;
import io.callpulse.ingest.websocket.StreamRoute;
import io.callpulse.ingest.websocket.StreamWebSocketServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest service: wiring and lifecycle of the WebSocket endpoint and the Kafka producer. */
public final class IngestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);

    private final KafkaRecordPublisher publisher;
    private final AudioRecordBatcher batcher;
    private final StreamWebSocketServer streamServer;
    private final int streamPort;
    private final CallbackHttpServer httpServer;
    private final IngestMetrics metrics;
    private final ScheduledExecutorService tapScheduler;

    /**
     * Calls whose last StreamID is remembered to link a reconnect: about 200 B of heap each, 20 MB
     * at most (measured by ./bench.sh ingest-memory).
     */
    private static final int RECONNECTS_REMEMBERED = 100_000;

    private IngestServer(
            KafkaRecordPublisher publisher,
            AudioRecordBatcher batcher,
            StreamWebSocketServer streamServer,
            int streamPort,
            CallbackHttpServer httpServer,
            IngestMetrics metrics,
            ScheduledExecutorService tapScheduler) {
        this.metrics = metrics;
        this.tapScheduler = tapScheduler;
        this.publisher = publisher;
        this.batcher = batcher;
        this.streamServer = streamServer;
        this.streamPort = streamPort;
        this.httpServer = httpServer;
    }

    /** Starts listening and returns once the port is bound. */
    public static IngestServer start(IngestConfig config) {
        SSLContext tls = config.tls() == null ? null : config.tls().sslContext();
        IngestMetrics metrics = new IngestMetrics();
        KafkaRecordPublisher publisher =
                new KafkaRecordPublisher(
                        config.kafkaBootstrapServers(),
                        config.topics(),
                        metrics,
                        config.bufferLimitBytes());
        PlivoRequestVerifier verifier =
                new PlivoRequestVerifier(config.authToken(), config.publicBaseUrl());
        if (!verifier.enforcing()) {
            LOG.warn(
                    "NO PLIVO AUTH TOKEN IS CONFIGURED (callpulse.plivo.auth.token): stream"
                            + " upgrades and status callbacks are accepted without checking their"
                            + " signature. Set it before exposing this service.");
        }
        TwilioRequestVerifier twilioVerifier =
                new TwilioRequestVerifier(config.twilioAuthToken(), config.publicBaseUrl());
        if (!twilioVerifier.enforcing()) {
            LOG.warn(
                    "NO TWILIO AUTH TOKEN IS CONFIGURED (callpulse.twilio.auth.token): Twilio"
                            + " stream upgrades on /twilio are accepted without checking their"
                            + " signature. Set it before exposing this service.");
        }
        LongSupplier clock = System::currentTimeMillis;
        // every route's records and the status callbacks' events pass the batcher: an event of a
        // stream must write the audio pending before it
        AudioRecordBatcher batcher =
                AudioRecordBatcher.start(publisher, config.audioBatchMs(), metrics);
        RecordSink protocols = new ReconnectLinkingSink(batcher, RECONNECTS_REMEMBERED);
        StreamRoute plivo = PlivoRoutes.stream("/stream", verifier, protocols, clock);
        StreamRoute twilio = TwilioRoutes.stream("/twilio", twilioVerifier, protocols, clock);
        List<StreamRoute> routes = new ArrayList<>(List.of(plivo, twilio));
        ScheduledExecutorService tapScheduler = null;
        if (config.tapBotUrl() != null) {
            tapScheduler = TapRoutes.newScheduler();
            routes.add(
                    TapRoutes.stream(
                            "/tap", verifier, protocols, clock, config.tapBotUrl(), tapScheduler));
        }
        StreamWebSocketServer streamServer =
                new StreamWebSocketServer(
                        new InetSocketAddress(config.host(), config.streamPort()),
                        routes,
                        plivo,
                        batcher,
                        clock,
                        metrics);
        if (tls != null) {
            streamServer.useTls(tls);
        }
        publisher.bindReadingControl(streamServer);
        streamServer.start();
        int port;
        try {
            port = streamServer.started().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutDown(tapScheduler);
            batcher.close();
            publisher.close();
            throw new IllegalStateException("interrupted while starting the ingest", e);
        } catch (ExecutionException | TimeoutException e) {
            shutDown(tapScheduler);
            batcher.close();
            publisher.close();
            throw new IllegalStateException(
                    "the ingest could not listen on " + config.host() + ":" + config.streamPort(),
                    e);
        }
        CallbackHttpServer httpServer =
                CallbackHttpServer.start(
                        new InetSocketAddress(config.host(), config.httpPort()),
                        new StatusCallbacks(batcher, clock),
                        verifier,
                        publisher::kafkaReachable,
                        metrics,
                        tls,
                        config.answer() == null
                                ? null
                                : new AnswerHandler(config.answer(), verifier));
        String ws = tls == null ? "ws" : "wss";
        String http = tls == null ? "http" : "https";
        LOG.info(
                "ingest listening for Plivo streams on {}://{}:{}/stream, status callbacks on"
                        + " {}://{}:{}/status",
                ws,
                config.host(),
                port,
                http,
                config.host(),
                httpServer.port());
        LOG.info(
                config.audioBatchMs() == 0
                        ? "audio: one record per media message ({}=0)"
                        : "audio: a track's consecutive media messages joined into records of up"
                                + " to {} ms",
                config.audioBatchMs() == 0 ? AudioRecordBatcher.SETTING : config.audioBatchMs());
        if (config.answer() != null) {
            LOG.info(
                    "answer URL for Plivo on {}://{}:{}/answer",
                    http,
                    config.host(),
                    httpServer.port());
        }
        if (tapScheduler != null) {
            LOG.info(
                    "bidirectional tap on {}://{}:{}/tap relays to the bot at {}",
                    ws,
                    config.host(),
                    port,
                    TapRoutes.redacted(config.tapBotUrl()));
        }
        return new IngestServer(
                publisher, batcher, streamServer, port, httpServer, metrics, tapScheduler);
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

    public IngestMetrics metrics() {
        return metrics;
    }

    /** Stops accepting, closes the streams (1001, going away), then flushes the producer. */
    @Override
    public void close() {
        httpServer.close();
        if (streamServer.readingPaused()) {
            // the closing handshakes must be read; what else arrives with them is still kept
            streamServer.resumeReading();
        }
        try {
            streamServer.stop(5_000, "callpulse ingest shutting down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // after the streams: each tap writes its played audio as its socket closes
        shutDown(tapScheduler);
        // after everything that writes audio, before the producer: what is still joined is sent
        batcher.close();
        // flushes, bounded: a broker that is gone cannot hold the shutdown
        publisher.close();
        LOG.info("ingest stopped");
    }

    private static void shutDown(ScheduledExecutorService scheduler) {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(2, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
    }
}
