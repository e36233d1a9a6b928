package io.callpulse.bench.job;

import io.callpulse.ingest.kafka.KafkaRecordPublisher;
import io.callpulse.ingest.kafka.ReadingControl;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.records.TopicNames;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Fills {@code callpulse.audio} once with the records of {@link ConcurrentCalls}, through the
 * ingest's own Kafka publisher: the same serialization, key, record timestamp and producer settings
 * (idempotent, acks=all, lz4, its linger and batch size) as a live ingest.
 *
 * <p>The publisher stops "reading" when more than its buffer limit waits for Kafka's
 * acknowledgement; here that pauses the loop that generates the records, as it would pause the
 * ingest's sockets, so the broker is never handed more than the ingest would hand it.
 */
final class AudioTopic {

    private AudioTopic() {}

    /** How the preparation went. */
    record Prepared(long records, double seconds, long pauses) {}

    static Prepared fill(String bootstrapServers, TopicNames topics, ConcurrentCalls calls)
            throws InterruptedException {
        long start = System.nanoTime();
        Pacing pacing = new Pacing();
        KafkaRecordPublisher publisher =
                new KafkaRecordPublisher(
                        bootstrapServers,
                        topics,
                        new IngestMetrics(),
                        KafkaRecordPublisher.DEFAULT_BUFFER_LIMIT_BYTES);
        try {
            publisher.bindReadingControl(pacing);
            calls.forEachRecord(
                    record -> {
                        pacing.awaitReading();
                        publisher.audio(record);
                    });
            // the publisher's close waits a bounded time; first let what is buffered drain
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (publisher.bufferedBytes() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            publisher.close();
        }
        if (publisher.failedCount() > 0 || publisher.sentCount() != calls.recordCount()) {
            throw new IllegalStateException(
                    "preparing "
                            + topics.audio()
                            + ": expected "
                            + calls.recordCount()
                            + " records acknowledged, found "
                            + publisher.sentCount()
                            + " acknowledged and "
                            + publisher.failedCount()
                            + " failed");
        }
        long inTopic = endOffsetSum(bootstrapServers, topics.audio());
        if (inTopic != calls.recordCount()) {
            throw new IllegalStateException(
                    "preparing "
                            + topics.audio()
                            + ": expected "
                            + calls.recordCount()
                            + " records in the topic, its end offsets add up to "
                            + inTopic);
        }
        return new Prepared(inTopic, (System.nanoTime() - start) / 1e9, pacing.pauses);
    }

    /** Records in a topic written without transactions: its partitions' end offsets. */
    static long endOffsetSum(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", (Object) bootstrapServers))) {
            List<TopicPartition> partitions =
                    admin
                            .describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(topic)
                            .partitions()
                            .stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            Map<TopicPartition, OffsetSpec> latest =
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets =
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            return offsets.values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                    .sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets of " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    /** The publisher's backpressure, turned on the generating loop. */
    private static final class Pacing implements ReadingControl {
        private boolean paused;
        private long pauses;

        @Override
        public synchronized void pauseReading() {
            paused = true;
            pauses++;
        }

        @Override
        public synchronized void resumeReading() {
            paused = false;
            notifyAll();
        }

        @Override
        public synchronized boolean readingPaused() {
            return paused;
        }

        synchronized void awaitReading() {
            while (paused) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while preparing the topic", e);
                }
            }
        }
    }
}
