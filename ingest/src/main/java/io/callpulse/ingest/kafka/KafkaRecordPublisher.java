package io.callpulse.ingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.metrics.MetricLabels;
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
import java.util.concurrent.atomic.AtomicBoolean;
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

    /**
     * How long the sender thread may wait in {@code send} for a topic's metadata or for buffer
     * space; then the record fails (counted and logged). Finite, so that a record for a topic that
     * does not exist cannot hold the only sender thread, and every record behind it, for good.
     */
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(60);

    /** How long {@link #close()} waits, in all, for what was accepted to reach Kafka. */
    static final long CLOSE_TIMEOUT_SECONDS = 15;

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(CLOSE_TIMEOUT_SECONDS);

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

    /** Set first by {@link #close}: records accepted from then on are refused. */
    private final AtomicBoolean closing = new AtomicBoolean();

    /** Tells the sender thread to stop taking records. */
    private volatile boolean closed;

    /** Set once the sender thread has stopped: whatever is still queued is refused. */
    private volatile boolean senderStopped;

    /** A record on its way, or a marker that completes once all before it are handed over. */
    private record Outgoing(
            ProducerRecord<byte[], byte[]> record,
            String type,
            long sizeBytes,
            long acceptedAtNanos,
            CompletableFuture<Void> handedOver) {}

    public KafkaRecordPublisher(
            String bootstrapServers, TopicNames topics, IngestMetrics metrics, long bufferLimit) {
        this(bootstrapServers, topics, metrics, bufferLimit, DEFAULT_MAX_BLOCK);
    }

    /**
     * @param maxBlock how long a send may wait for metadata or buffer space; see {@link
     *     #DEFAULT_MAX_BLOCK}
     */
    KafkaRecordPublisher(
            String bootstrapServers,
            TopicNames topics,
            IngestMetrics metrics,
            long bufferLimit,
            Duration maxBlock) {
        if (bufferLimit <= 0) {
            throw new IllegalArgumentException(
                    "buffer.bytes: expected a positive number of bytes, found " + bufferLimit);
        }
        this.topics = topics;
        this.metrics = metrics;
        this.bufferLimitBytes = bufferLimit;
        Properties props = producerSettings(bootstrapServers, bufferLimit, maxBlock);
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

    /** The producer's settings: what the documentation promises is decided here. */
    static Properties producerSettings(
            String bootstrapServers, long bufferLimit, Duration maxBlock) {
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
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(maxBlock.toMillis()));
        return props;
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
                record.endOfStream() ? MetricLabels.END_OF_STREAM : MetricLabels.MEDIA);
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

    /**
     * Hands everything accepted so far to Kafka and waits for the acknowledgements, then closes the
     * producer; bounded by {@value #CLOSE_TIMEOUT_SECONDS} s in all. What Kafka has not
     * acknowledged by then, and whatever is accepted from now on, is refused: counted as failed and
     * logged.
     */
    @Override
    public void close() {
        close(CLOSE_TIMEOUT);
    }

    void close(Duration timeout) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Void> handedOver = new CompletableFuture<>();
        outgoing.add(new Outgoing(null, null, 0, 0, handedOver));
        try {
            handedOver.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.error(
                    "the Kafka sender did not hand every record over within {} ms; the rest is"
                            + " refused",
                    timeout.toMillis());
        } catch (ExecutionException e) {
            throw new IllegalStateException("the hand-over marker cannot fail", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // stops the sender, also out of a send waiting for metadata
        closed = true;
        sender.interrupt();
        // waits for the acknowledgements of what was handed over, then fails the rest
        producer.close(Duration.ofNanos(remainingNanos(deadline)));
        try {
            sender.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senderStopped = true;
        refuseQueued();
        admin.close(Duration.ofSeconds(2));
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private void accept(ProducerRecord<byte[], byte[]> record, String type) {
        long size =
                RECORD_OVERHEAD_BYTES
                        + (record.key() == null ? 0 : record.key().length)
                        + record.value().length;
        Outgoing next = new Outgoing(record, type, size, System.nanoTime(), null);
        if (closing.get()) {
            countLost(next, "the Kafka producer is closed");
            return;
        }
        metrics.recordAccepted(record.topic(), type);
        long buffered = bufferedBytes.addAndGet(size);
        if (buffered > bufferLimitBytes && !reading.readingPaused()) {
            synchronized (readingLock) {
                if (bufferedBytes.get() > bufferLimitBytes && !reading.readingPaused()) {
                    reading.pauseReading();
                }
            }
        }
        outgoing.add(next);
        if (senderStopped) {
            // accepted as the publisher closed, after its last look at the queue
            refuseQueued();
        }
    }

    /** Refuses what the stopped sender left in the queue. */
    private void refuseQueued() {
        for (Outgoing next = outgoing.poll(); next != null; next = outgoing.poll()) {
            if (next.handedOver() != null) {
                next.handedOver().complete(null);
            } else {
                countLost(next, "the Kafka producer closed before it was sent");
            }
        }
    }

    private void sendLoop() {
        while (!closed) {
            Outgoing next;
            try {
                next = outgoing.take();
            } catch (InterruptedException e) {
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
                // a record the producer refuses outright (too large, producer closed,
                // interrupted by close while waiting for metadata)
                acknowledged(next, e);
            }
        }
    }

    private void acknowledged(Outgoing done, Exception exception) {
        if (exception == null) {
            metrics.kafkaSendCompleted(microsSinceAccepted(done), false);
            sent.incrementAndGet();
        } else {
            countLost(done, exception.toString());
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

    /** A record that will not reach Kafka: counted and logged, never silently dropped. */
    private void countLost(Outgoing record, String why) {
        metrics.kafkaSendCompleted(microsSinceAccepted(record), true);
        failed.incrementAndGet();
        LOG.error("lost a {} record for {}: {}", record.type(), record.record().topic(), why);
    }

    private static long microsSinceAccepted(Outgoing record) {
        return (System.nanoTime() - record.acceptedAtNanos()) / 1_000;
    }

    private static byte[] toJson(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }
}
