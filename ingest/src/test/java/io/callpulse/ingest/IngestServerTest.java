package io.callpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.kafka.KafkaRecordPublisher;
import io.callpulse.ingest.security.TlsConfig;
import io.callpulse.kafka.EmbeddedKafkaBroker;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.AudioRecordCodec;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.Json;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.TopicNames;
import io.callpulse.records.Track;
import io.callpulse.simulator.PlivoCall;
import io.callpulse.simulator.PlivoMessages;
import io.callpulse.simulator.PlivoStreamPlayer;
import io.callpulse.simulator.StreamFormat;
import io.callpulse.simulator.SyntheticAudio;
import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.clients.admin.DescribeClientQuotasOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.java_websocket.framing.CloseFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole ingest against a real Kafka broker: shutdown, size limit, TLS, backpressure. */
class IngestServerTest {

    private static final String PRODUCER_CLIENT_ID = "callpulse-ingest";

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** Fresh topics per test, so that no test reads another's records. */
    private static TopicNames freshTopics() {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicNames topics =
                new TopicNames(
                        prefix + "audio",
                        prefix + "events",
                        prefix + "metrics",
                        prefix + "dlq",
                        prefix + "summaries",
                        prefix + "alerts");
        broker.createTopics(topics.all(), 1);
        return topics;
    }

    private static IngestConfig config(TopicNames topics, long bufferBytes, TlsConfig tls) {
        return new IngestConfig(
                "127.0.0.1",
                0,
                0,
                broker.bootstrapServers(),
                topics,
                null,
                null,
                bufferBytes,
                tls,
                null,
                null,
                null,
                AudioRecordBatcher.DEFAULT_BATCH_MS);
    }

    private static PlivoCall call(String streamId, int seconds) {
        short[] tone = SyntheticAudio.at(8000).tone(440, -20, seconds * 1000L).build();
        return new PlivoCall(streamId, "call-" + streamId, StreamFormat.MULAW_8K, tone, tone, null);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void shutdownClosesStreamsWithGoingAwayAndFlushesEverythingAccepted() throws Exception {
        TopicNames topics = freshTopics();
        IngestServer ingest =
                IngestServer.start(
                        config(topics, KafkaRecordPublisher.DEFAULT_BUFFER_LIMIT_BYTES, null));
        PlivoCall call = call("s-shutdown", 1);
        TestStreamClient client =
                TestStreamClient.connect(
                        URI.create("ws://127.0.0.1:" + ingest.streamPort() + "/stream"));
        client.send(PlivoMessages.start(call, 1));
        // media time ahead of the clock, so the end marker's time is the media's, not the start's
        long mediaStartMs = System.currentTimeMillis() + 60_000;
        for (int i = 0; i < 10; i++) {
            client.send(
                    PlivoMessages.media(
                            call, i + 2, "inbound", mediaStartMs + 20L * i, i + 1, new byte[160]));
        }
        // 100 ms batches: two records of five media messages each
        waitFor(
                () -> ingest.metrics().recordCount(topics.audio(), "media") == 2,
                "2 media records accepted");

        ingest.close();

        assertThat(client.awaitClose()).isEqualTo(CloseFrame.GOING_AWAY);
        List<ConsumerRecord<byte[], byte[]>> audio =
                TopicReader.read(
                        broker.bootstrapServers(), topics.audio(), 3, Duration.ofSeconds(10));
        assertThat(audio).hasSize(3);
        for (int i = 0; i < 2; i++) {
            AudioRecord joined = AudioRecordCodec.decode(audio.get(i).key(), audio.get(i).value());
            assertThat(joined.firstChunk()).isEqualTo(1 + 5L * i);
            assertThat(joined.chunkCount()).isEqualTo(5);
            assertThat(joined.mediaTimestampMs()).isEqualTo(mediaStartMs + 100L * i);
            assertThat(joined.payload()).hasSize(800);
        }
        assertThat(ingest.metrics().audioBatchCount("full")).isEqualTo(2);
        AudioRecord marker = AudioRecordCodec.decode(audio.get(2).key(), audio.get(2).value());
        assertThat(marker.endOfStream()).isTrue();
        assertThat(marker.mediaTimestampMs()).isEqualTo(mediaStartMs + 200L);
        List<ConsumerRecord<byte[], byte[]>> events =
                TopicReader.read(
                        broker.bootstrapServers(), topics.events(), 2, Duration.ofSeconds(10));
        assertThat(events).hasSize(2);
        StreamEvent closed = Json.mapper().readValue(events.get(1).value(), StreamEvent.class);
        assertThat(closed.type()).isEqualTo(StreamEvent.Types.CLOSED);
        assertThat(closed.closeCode()).isEqualTo(CloseFrame.GOING_AWAY);
        assertThat(closed.stopSeen()).isFalse();
    }

    @Test
    void aMessageOverSixtyFourKilobytesIsDeadLetteredAndClosesWith1009() throws Exception {
        TopicNames topics = freshTopics();
        try (IngestServer ingest =
                IngestServer.start(
                        config(topics, KafkaRecordPublisher.DEFAULT_BUFFER_LIMIT_BYTES, null))) {
            TestStreamClient client =
                    TestStreamClient.connect(
                            URI.create("ws://127.0.0.1:" + ingest.streamPort() + "/stream"));
            String big = "{\"event\":\"media\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
            client.send(big);

            assertThat(client.awaitClose()).isEqualTo(CloseFrame.TOOBIG);
            List<ConsumerRecord<byte[], byte[]>> dead =
                    TopicReader.read(
                            broker.bootstrapServers(),
                            topics.deadLetter(),
                            1,
                            Duration.ofSeconds(10));
            assertThat(dead).hasSize(1);
            DeadLetter letter = Json.mapper().readValue(dead.get(0).value(), DeadLetter.class);
            assertThat(letter.reason())
                    .isEqualTo(
                            "message: "
                                    + big.length()
                                    + " bytes is over the 65536-byte limit; the connection is"
                                    + " closed with 1009");
            assertThat(letter.raw()).isEqualTo(big);
            assertThat(ingest.metrics().rejectedCount("message")).isEqualTo(1);
        }
    }

    @Test
    void withAKeystoreTheIngestServesWssAndHttps(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("ingest.p12");
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "ingest",
                                "-keyalg",
                                "EC",
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=dns:localhost,ip:127.0.0.1",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                keystore.toString(),
                                "-storepass",
                                "secret123")
                        .redirectErrorStream(true)
                        .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        SSLContext clientTls = trusting(keystore, "secret123");
        TopicNames topics = freshTopics();
        try (IngestServer ingest =
                IngestServer.start(
                        config(
                                topics,
                                KafkaRecordPublisher.DEFAULT_BUFFER_LIMIT_BYTES,
                                new TlsConfig(keystore, "secret123", null)))) {
            PlivoCall call = call("s-tls", 1);
            TestStreamClient client =
                    TestStreamClient.connect(
                            URI.create("wss://localhost:" + ingest.streamPort() + "/stream"),
                            Map.of(),
                            clientTls);
            assertThat(client.opened.get()).isTrue();
            client.send(PlivoMessages.start(call, 1));
            client.closeBlocking();
            HttpResponse<String> health =
                    HttpClient.newBuilder()
                            .sslContext(clientTls)
                            .build()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "https://localhost:"
                                                                    + ingest.httpPort()
                                                                    + "/healthz"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            List<ConsumerRecord<byte[], byte[]>> events =
                    TopicReader.read(
                            broker.bootstrapServers(), topics.events(), 2, Duration.ofSeconds(10));
            assertThat(events).hasSize(2);
        }
    }

    private static SSLContext trusting(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory trust =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /**
     * A broker that accepts 1 KB/s from the ingest (a client quota, so the broker itself is real
     * and only slow): the ingest must stop reading its sockets near its buffer limit instead of
     * growing, and once the broker is fast again, deliver every message exactly once.
     */
    @Test
    void aSlowBrokerStopsTheSocketsBeingReadAndNothingIsLost() throws Exception {
        TopicNames topics = freshTopics();
        // well above the producer's 128 KB batch: the throttled broker still acknowledges a batch
        // now and then, which must not bring the buffer under half the limit during the check
        long limit = 1024 * 1024;
        setProducerQuota(1024.0);
        IngestServer ingest = IngestServer.start(config(topics, limit, null));
        try {
            // 120 s of two-track mu-law: 12,000 media messages, about 3.6 MB of records
            PlivoCall call = call("s-slow", 120);
            int mediaMessages = 2 * call.messageCount();
            Thread player =
                    new Thread(
                            () -> {
                                try {
                                    PlivoStreamPlayer.play(
                                            URI.create(
                                                    "ws://127.0.0.1:"
                                                            + ingest.streamPort()
                                                            + "/stream"),
                                            call,
                                            1_700_000_000_000L,
                                            PlivoStreamPlayer.Pacing.AS_FAST_AS_POSSIBLE);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "slow-broker-player");
            player.start();

            waitFor(() -> ingest.publisher().readingPaused(), "reading to pause");
            long maxBuffered = 0;
            for (int i = 0; i < 40; i++) {
                maxBuffered = Math.max(maxBuffered, ingest.publisher().bufferedBytes());
                Thread.sleep(50);
            }
            long acceptedWhileSlow = ingest.metrics().recordCount(topics.audio(), "media");
            // bounded: the limit plus what the server had already read when it stopped (a few
            // 64 KB read buffers of JSON, which shrink to fewer record bytes)
            assertThat(maxBuffered).isBetween(limit, limit + 512 * 1024);
            assertThat(acceptedWhileSlow).isLessThan(mediaMessages / 2);
            assertThat(ingest.publisher().readingPaused()).isTrue();

            setProducerQuota(null);
            player.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(player.isAlive()).isFalse();
            waitFor(
                    () -> ingest.metrics().recordCount(topics.audio(), "end_of_stream") == 1,
                    "the end-of-stream marker accepted");
            // how many media messages each record joins depends on the sweep meeting the pauses:
            // every message must be in exactly one record, in order
            int records = (int) ingest.metrics().recordCount(topics.audio(), "media");
            assertThat(records).isBetween(mediaMessages / 5, mediaMessages);
            List<ConsumerRecord<byte[], byte[]>> audio =
                    TopicReader.read(
                            broker.bootstrapServers(),
                            topics.audio(),
                            records + 1,
                            Duration.ofSeconds(60));
            assertThat(audio).hasSize(records + 1);
            Map<Track, Long> nextChunk = new EnumMap<>(Track.class);
            for (ConsumerRecord<byte[], byte[]> kafkaRecord : audio.subList(0, records)) {
                AudioRecord record =
                        AudioRecordCodec.decode(kafkaRecord.key(), kafkaRecord.value());
                assertThat(record.firstChunk())
                        .as("the chunk after the previous record of the %s track", record.track())
                        .isEqualTo(nextChunk.getOrDefault(record.track(), 1L));
                nextChunk.put(record.track(), record.firstChunk() + record.chunkCount());
            }
            assertThat(nextChunk)
                    .containsEntry(Track.INBOUND, mediaMessages / 2 + 1L)
                    .containsEntry(Track.OUTBOUND, mediaMessages / 2 + 1L);
            assertThat(
                            AudioRecordCodec.decode(
                                            audio.get(records).key(), audio.get(records).value())
                                    .endOfStream())
                    .isTrue();
            assertThat(ingest.publisher().readingPaused()).isFalse();
            assertThat(ingest.publisher().failedCount()).isZero();
        } finally {
            setProducerQuota(null);
            ingest.close();
        }
    }

    /** Sets (or with {@code null} removes) the ingest producer's byte-rate quota. */
    private static void setProducerQuota(Double bytesPerSecond) throws Exception {
        ClientQuotaEntity entity =
                new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, PRODUCER_CLIENT_ID));
        broker.admin()
                .alterClientQuotas(
                        List.of(
                                new ClientQuotaAlteration(
                                        entity,
                                        List.of(
                                                new ClientQuotaAlteration.Op(
                                                        "producer_byte_rate", bytesPerSecond)))),
                        new AlterClientQuotasOptions())
                .all()
                .get(10, TimeUnit.SECONDS);
        waitFor(
                () -> {
                    try {
                        boolean present =
                                !broker.admin()
                                        .describeClientQuotas(
                                                ClientQuotaFilter.all(),
                                                new DescribeClientQuotasOptions())
                                        .entities()
                                        .get()
                                        .isEmpty();
                        return present == (bytesPerSecond != null);
                    } catch (Exception e) {
                        return false;
                    }
                },
                "the quota to apply");
    }
}
