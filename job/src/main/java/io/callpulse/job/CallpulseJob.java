package io.callpulse.job;

import io.callpulse.job.io.JsonRecordSerializer;
import io.callpulse.job.io.KafkaBytes;
import io.callpulse.job.io.KafkaBytesDeserializer;
import io.callpulse.job.workflow.CallAnalyticsWorkflow;
import io.callpulse.records.Alert;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamSummary;
import io.callpulse.records.WindowMetrics;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The callpulse Flink job: Kafka in, Kafka out. Submit it with {@code flink run}. */
public final class CallpulseJob {

    private CallpulseJob() {}

    public static void main(String[] args) throws Exception {
        JobSettings settings = JobSettings.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, settings);
        env.execute("callpulse");
    }

    /** Builds the job with Kafka sources and sinks into {@code env}. */
    public static void configure(StreamExecutionEnvironment env, JobSettings settings) {
        env.setMaxParallelism(settings.maxParallelism());
        env.enableCheckpointing(settings.checkpointInterval().toMillis());
        // Flink's 200 ms default would add up to 200 ms to every window's latency; a periodic
        // watermark per split costs next to nothing at 50 ms
        env.getConfig().setAutoWatermarkInterval(settings.watermarkInterval().toMillis());
        // functions never keep a reference to a record they were given, so chained operators
        // may hand records over without copying them
        env.getConfig().enableObjectReuse();
        CallAnalyticsWorkflow.build(
                env,
                settings,
                source(settings, settings.topics().audio()),
                source(settings, settings.topics().events()),
                exactlyOnceJsonSink(
                        settings, settings.topics().metrics(), WindowMetrics::streamId, "metrics"),
                exactlyOnceJsonSink(
                        settings,
                        settings.topics().summaries(),
                        StreamSummary::streamId,
                        "summaries"),
                // alerts must not wait for a checkpoint: at least once, and their ids are
                // deterministic, so a duplicate after a restart is recognisably the same alert
                jsonSink(settings, settings.topics().alerts(), Alert::streamId),
                jsonSink(settings, settings.topics().deadLetter(), DeadLetter::streamId));
    }

    static KafkaSource<KafkaBytes> source(JobSettings settings, String topic) {
        return KafkaSource.<KafkaBytes>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(topic)
                .setGroupId(settings.groupId())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(
                                settings.fromEarliest()
                                        ? OffsetResetStrategy.EARLIEST
                                        : OffsetResetStrategy.LATEST))
                .setDeserializer(new KafkaBytesDeserializer())
                .build();
    }

    /**
     * A sink whose records become visible when the checkpoint that covers them completes (Kafka
     * transactions): readers with {@code isolation.level=read_committed} see each record once, even
     * across restarts. Visibility waits for the checkpoint, so the checkpoint interval bounds how
     * late a window is seen.
     */
    static <T> KafkaSink<T> exactlyOnceJsonSink(
            JobSettings settings, String topic, JsonRecordSerializer.KeyOf<T> keyOf, String name) {
        Properties producer = new Properties();
        // below the broker's transaction.max.timeout.ms (15 min by default), above any outage a
        // checkpoint can ride out
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "600000");
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setRecordSerializer(new JsonRecordSerializer<>(topic, keyOf))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(settings.groupId() + "-" + name)
                .setKafkaProducerConfig(producer)
                .build();
    }

    static <T> KafkaSink<T> jsonSink(
            JobSettings settings, String topic, JsonRecordSerializer.KeyOf<T> keyOf) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setRecordSerializer(new JsonRecordSerializer<>(topic, keyOf))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
