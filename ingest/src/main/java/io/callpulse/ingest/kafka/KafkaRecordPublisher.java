package io.callpulse.ingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.callpulse.ingest.RecordSink;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.AudioRecordCodec;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.Json;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the ingest accepts to Kafka, keyed by StreamID so that a stream's records stay in
 * order in one partition. Sends are asynchronous; a failed send is logged and counted.
 */
public final class KafkaRecordPublisher implements RecordSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    private final TopicNames topics;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    public KafkaRecordPublisher(String bootstrapServers, TopicNames topics) {
        this.topics = topics;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "callpulse-ingest");
        // idempotent with acks=all: a retried batch is neither lost nor duplicated nor reordered
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "callpulse-ingest-health");
        this.admin = Admin.create(adminProps);
    }

    @Override
    public void audio(AudioRecord record) {
        // the record timestamp is the media time (for the end marker: the end of the last
        // audio), so a reader's default event time is right
        send(
                new ProducerRecord<>(
                        topics.audio(),
                        null,
                        record.mediaTimestampMs(),
                        AudioRecordCodec.encodeKey(record.streamId()),
                        AudioRecordCodec.encodeValue(record)));
    }

    @Override
    public void event(StreamEvent event) {
        send(
                new ProducerRecord<>(
                        topics.events(),
                        null,
                        event.receivedAtMs(),
                        AudioRecordCodec.encodeKey(event.streamId()),
                        toJson(event)));
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        deadLettered.incrementAndGet();
        LOG.warn(
                "dead-lettered input of stream {}: {}",
                deadLetter.streamId() == null ? "(unknown)" : deadLetter.streamId(),
                deadLetter.reason());
        byte[] key =
                deadLetter.streamId() == null
                        ? null
                        : deadLetter.streamId().getBytes(StandardCharsets.UTF_8);
        send(
                new ProducerRecord<>(
                        topics.deadLetter(),
                        null,
                        deadLetter.receivedAtMs(),
                        key,
                        toJson(deadLetter)));
    }

    /** Records handed to Kafka and acknowledged. */
    public long sentCount() {
        return sent.get();
    }

    /** Records Kafka refused after its retries. */
    public long failedCount() {
        return failed.get();
    }

    public long deadLetteredCount() {
        return deadLettered.get();
    }

    /** Whether the Kafka cluster answers within two seconds (for the health endpoint). */
    public boolean kafkaReachable() {
        try {
            admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends everything buffered and waits for the acknowledgements. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(2));
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(
                record,
                (metadata, exception) -> {
                    if (exception == null) {
                        sent.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        LOG.error("could not write to {}", record.topic(), exception);
                    }
                });
    }

    private static byte[] toJson(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }
}
