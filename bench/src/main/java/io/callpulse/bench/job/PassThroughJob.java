package io.callpulse.bench.job;

import io.callpulse.job.JobSettings;
import io.callpulse.job.io.KafkaBytes;
import io.callpulse.job.io.KafkaBytesDeserializer;
import io.callpulse.records.AudioRecordCodec;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The baseline: what it costs only to read {@code callpulse.audio} and route each record to its
 * stream's key, which any per-stream job pays. The source is configured as the job's (same
 * deserializer, consumer group start, watermarks, checkpointing and object reuse), then every
 * record is keyed by StreamID and discarded.
 */
final class PassThroughJob {

    /** The source operator, named as the job names its audio source. */
    static final String SOURCE_OPERATOR = "Source: audio records";

    static final String SINK_NAME = "discard";

    private PassThroughJob() {}

    static void build(StreamExecutionEnvironment env, JobSettings settings) {
        env.setMaxParallelism(settings.maxParallelism());
        env.enableCheckpointing(settings.checkpointInterval().toMillis());
        env.getConfig().enableObjectReuse();
        KafkaSource<KafkaBytes> source =
                KafkaSource.<KafkaBytes>builder()
                        .setBootstrapServers(settings.bootstrapServers())
                        .setTopics(settings.topics().audio())
                        .setGroupId(settings.groupId())
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new KafkaBytesDeserializer())
                        .build();
        WatermarkStrategy<KafkaBytes> watermarks =
                WatermarkStrategy.<KafkaBytes>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestampMs())
                        .withIdleness(settings.idleness());
        env.fromSource(source, watermarks, "audio records")
                .keyBy(new StreamIdOf())
                .sinkTo(new DiscardingSink<>())
                .name(SINK_NAME);
    }

    /** The record key as the job reads it. */
    private static final class StreamIdOf implements KeySelector<KafkaBytes, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(KafkaBytes record) {
            return AudioRecordCodec.decodeKey(record.key());
        }
    }
}
