package io.callpulse.bench.ingest;

import io.callpulse.kafka.EmbeddedKafkaBroker;
import io.callpulse.records.TopicNames;
import java.util.Map;

/**
 * The benchmark's Kafka broker in its own JVM: the project's embedded KRaft broker with the topics
 * created as the local stack creates them (two partitions each). Answers {@code @ready <bootstrap
 * servers>}; stops when its standard input ends.
 */
public final class IngestBenchBrokerMain {

    /** Partitions per topic, as the local stack has them. */
    static final int PARTITIONS = 2;

    private IngestBenchBrokerMain() {}

    public static void main(String[] args) {
        // a benchmark writes gigabytes: keep what the disk holds bounded (old segments deleted)
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.start(
                        Map.of(
                                "log.retention.bytes", String.valueOf(256L * 1024 * 1024),
                                "log.segment.bytes", String.valueOf(64L * 1024 * 1024),
                                "log.retention.check.interval.ms", "10000"));
        try {
            broker.createTopics(TopicNames.defaults().all(), PARTITIONS);
            IngestBenchChild.serve(broker.bootstrapServers(), Map.of());
        } finally {
            broker.close();
        }
        System.exit(0);
    }
}
