package io.callpulse.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.kafka.EmbeddedKafkaBroker;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.TopicNames;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publisher against a real broker whose topics are never created on demand (the embedded broker
 * sets {@code auto.create.topics.enable=false}), so a record for a missing topic fails.
 */
class KafkaRecordPublisherTest {

    private static final long NOW = 1_705_312_200_000L;

    private static EmbeddedKafkaBroker broker;

    private final IngestMetrics metrics = new IngestMetrics();

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** Fresh topics, all created except the audio topic. */
    private static TopicNames topicsWithoutAudio() {
        String prefix = "p" + UUID.randomUUID().toString().substring(0, 8) + ".";
        TopicNames topics =
                new TopicNames(
                        prefix + "audio",
                        prefix + "events",
                        prefix + "metrics",
                        prefix + "dlq",
                        prefix + "summaries",
                        prefix + "alerts");
        broker.createTopics(List.of(topics.events(), topics.deadLetter()), 1);
        return topics;
    }

    private static AudioRecord audio() {
        return AudioRecord.audio(
                "s-1", Track.INBOUND, AudioEncoding.MULAW, 8000, 1, 1, NOW, NOW, new byte[160]);
    }

    private static StreamEvent started() {
        return StreamEvent.started(
                "s-1", "call-1", "MA1", NOW, List.of("inbound"), "audio/x-mulaw", 8000, Map.of());
    }

    private KafkaRecordPublisher publisher(TopicNames topics, Duration maxBlock) {
        return new KafkaRecordPublisher(
                broker.bootstrapServers(),
                topics,
                metrics,
                KafkaRecordPublisher.DEFAULT_BUFFER_LIMIT_BYTES,
                maxBlock);
    }

    @Test
    void theProducerIsIdempotentWithAcksAllAndWaitsForMetadataAtMostAMinute() {
        Properties settings =
                KafkaRecordPublisher.producerSettings(
                        "broker:9092", 1024, KafkaRecordPublisher.DEFAULT_MAX_BLOCK);

        assertThat(settings)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "callpulse-ingest");
    }

    @Test
    void aRecordForAMissingTopicFailsIsCountedAndDoesNotHoldTheRecordsBehindIt() throws Exception {
        TopicNames topics = topicsWithoutAudio();
        try (KafkaRecordPublisher publisher = publisher(topics, Duration.ofSeconds(1))) {
            publisher.audio(audio());
            publisher.event(started());

            CollectingSink.await(
                    () -> publisher.failedCount() + publisher.sentCount() == 2,
                    Duration.ofSeconds(20),
                    "both records to complete");
            assertThat(publisher.failedCount()).isEqualTo(1);
            assertThat(publisher.sentCount()).isEqualTo(1);
            assertThat(publisher.bufferedBytes()).isZero();
            assertThat(metrics.renderPrometheus())
                    .contains("callpulse_ingest_kafka_send_failures_total 1\n");
        }
    }

    @Test
    void closeIsBoundedWhileARecordWaitsForAMissingTopic() {
        TopicNames topics = topicsWithoutAudio();
        KafkaRecordPublisher publisher = publisher(topics, KafkaRecordPublisher.DEFAULT_MAX_BLOCK);
        publisher.audio(audio());

        assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> publisher.close(Duration.ofSeconds(2)));

        assertThat(publisher.failedCount()).isEqualTo(1);
        assertThat(publisher.sentCount()).isZero();
    }

    @Test
    void aRecordAfterCloseIsRefusedAndCountedAsFailed() {
        TopicNames topics = topicsWithoutAudio();
        KafkaRecordPublisher publisher = publisher(topics, Duration.ofSeconds(1));
        publisher.event(started());
        publisher.close();
        assertThat(publisher.sentCount()).isEqualTo(1);

        publisher.event(started());

        assertThat(publisher.failedCount()).isEqualTo(1);
        assertThat(publisher.sentCount()).isEqualTo(1);
        assertThat(metrics.recordCount(topics.events(), StreamEvent.Types.START)).isEqualTo(1);
        assertThat(metrics.renderPrometheus())
                .contains("callpulse_ingest_kafka_send_failures_total 1\n");
    }
}
