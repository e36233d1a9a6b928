package io.callpulse.ingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.AudioRecordCodec;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.Json;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
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
 * order in one partition.
 *
 * <p>The WebSocket threads never call the producer: {@code KafkaProducer.send} blocks while it
 * waits for metadata or buffer space, which is exactly when Kafka is slow. They hand records to one
 * sender thread instead, and count the bytes accepted but not yet acknowledged. Above the buffer
 * limit the ingest stops reading its sockets ({@link ReadingControl}); below half of it, it reads
 * again. What is already read is never dropped, so the limit is exceeded by at most what was in
 * flight when reading stopped (about one socket read per connection).
 */
public final class KafkaRecordPublisher implements RecordSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordPublisher.class);

    /** Default for {@code callpulse.ingest.buffer.bytes}: about 20 s of 1,000 mu-law streams. */
    public static final long DEFAULT_BUFFER_LIMIT_BYTES = 32L * 1024 * 1024;

    /** Kafka's own per-record overhead, roughly, so that many tiny records count too. */
    private static final int RECORD_OVERHEAD_BYTES = 64;

    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    private final TopicNames topics;
    private final IngestMetrics metrics;
    private final long bufferLimitBytes;
    private final LinkedBlockingQueue<Outgoing> outgoing = new LinkedBlockingQueue<>();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Object readingLock = new Object();
    private final Thread sender;
    private volatile ReadingControl reading = ReadingControl.NONE;
    private volatile boolean closed;

    /** A record on its way, or a marker that completes once all before it are handed over. */
    private record Outgoing(
            ProducerRecord<byte[], byte[]> record,
            String type,
            long sizeBytes,
            long acceptedAtNanos,
            CompletableFuture<Void> handedOver) {}

    public KafkaRecordPublisher(
            String bootstrapServers, TopicNames topics, IngestMetrics metrics, long bufferLimit) {
        if (bufferLimit <= 0) {
            throw new IllegalArgumentException(
                    "buffer.bytes: expected a positive number of bytes, found " + bufferLimit);
        }
        this.topics = topics;
        this.metrics = metrics;
        this.bufferLimitBytes = bufferLimit;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "callpulse-ingest");
        // idempotent with acks=all: a retried batch is neither lost nor duplicated nor reordered
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // the producer's memory holds the whole budget and what overshoots it, so only the
        // sender thread ever waits, and only for metadata
        props.put(
                ProducerConfig.BUFFER_MEMORY_CONFIG,
                String.valueOf(Math.max(32L * 1024 * 1024, 2 * bufferLimit)));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Long.MAX_VALUE));
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "callpulse-ingest-health");
        this.admin = Admin.create(adminProps);
        metrics.bindBuffer(
                bufferedBytes::get, () -> bufferLimitBytes, () -> readingPaused() ? 1 : 0);
        this.sender = new Thread(this::sendLoop, "callpulse-kafka-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Whom to tell to stop and resume reading; set once the sockets exist. */
    public void bindReadingControl(ReadingControl control) {
        this.reading = control;
    }

    @Override
    public void audio(AudioRecord record) {
        // the record timestamp is the media time (for the end marker: the end of the last
        // audio), so a reader's default event time is right
        accept(
                new ProducerRecord<>(
                        topics.audio(),
                        null,
                        record.mediaTimestampMs(),
                        AudioRecordCodec.encodeKey(record.streamId()),
                        AudioRecordCodec.encodeValue(record)),
                record.endOfStream() ? "end_of_stream" : "media");
    }

    @Override
    public void event(StreamEvent event) {
        accept(
                new ProducerRecord<>(
                        topics.events(),
                        null,
                        event.receivedAtMs(),
                        AudioRecordCodec.encodeKey(event.streamId()),
                        toJson(event)),
                event.type());
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        metrics.rejected(deadLetter.reason());
        LOG.warn(
                "dead-lettered input of stream {}: {}",
                deadLetter.streamId() == null ? "(unknown)" : deadLetter.streamId(),
                deadLetter.reason());
        byte[] key =
                deadLetter.streamId() == null
                        ? null
                        : deadLetter.streamId().getBytes(StandardCharsets.UTF_8);
        accept(
                new ProducerRecord<>(
                        topics.deadLetter(),
                        null,
                        deadLetter.receivedAtMs(),
                        key,
                        toJson(deadLetter)),
                deadLetter.stage());
    }

    /** Records handed to Kafka and acknowledged. */
    public long sentCount() {
        return sent.get();
    }

    /** Records Kafka refused after its retries. */
    public long failedCount() {
        return failed.get();
    }

    /** Bytes accepted and not yet acknowledged by Kafka. */
    public long bufferedBytes() {
        return bufferedBytes.get();
    }

    public long bufferLimitBytes() {
        return bufferLimitBytes;
    }

    public boolean readingPaused() {
        return reading.readingPaused();
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

    /** Sends everything accepted so far and waits for Kafka's acknowledgements. */
    public void flush() {
        CompletableFuture<Void> handedOver = new CompletableFuture<>();
        outgoing.add(new Outgoing(null, null, 0, 0, handedOver));
        handedOver.join();
        producer.flush();
    }

    /** Flushes, then closes the producer (waiting up to ten seconds for the last acks). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        sender.interrupt();
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(2));
    }

    private void accept(ProducerRecord<byte[], byte[]> record, String type) {
        long size =
                RECORD_OVERHEAD_BYTES
                        + (record.key() == null ? 0 : record.key().length)
                        + record.value().length;
        metrics.recordAccepted(record.topic(), type);
        long buffered = bufferedBytes.addAndGet(size);
        if (buffered > bufferLimitBytes && !reading.readingPaused()) {
            synchronized (readingLock) {
                if (bufferedBytes.get() > bufferLimitBytes && !reading.readingPaused()) {
                    reading.pauseReading();
                }
            }
        }
        outgoing.add(new Outgoing(record, type, size, System.nanoTime(), null));
    }

    private void sendLoop() {
        while (!closed) {
            Outgoing next;
            try {
                next = outgoing.take();
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (next.handedOver() != null) {
                next.handedOver().complete(null);
                continue;
            }
            try {
                producer.send(
                        next.record(), (metadata, exception) -> acknowledged(next, exception));
            } catch (RuntimeException e) {
                // a record the producer refuses outright (too large, producer closed)
                acknowledged(next, e);
            }
        }
    }

    private void acknowledged(Outgoing done, Exception exception) {
        metrics.kafkaSendCompleted(
                (System.nanoTime() - done.acceptedAtNanos()) / 1_000, exception != null);
        if (exception == null) {
            sent.incrementAndGet();
        } else {
            failed.incrementAndGet();
            LOG.error(
                    "could not write a {} record to {}",
                    done.type(),
                    done.record().topic(),
                    exception);
        }
        long buffered = bufferedBytes.addAndGet(-done.sizeBytes());
        // locked whenever low, not only when seen paused: a pause decided just before this
        // ack (under the lock) must not be missed, or reading would stay stopped for good
        if (buffered <= bufferLimitBytes / 2) {
            synchronized (readingLock) {
                if (bufferedBytes.get() <= bufferLimitBytes / 2 && reading.readingPaused()) {
                    reading.resumeReading();
                }
            }
        }
    }

    private static byte[] toJson(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }
}
