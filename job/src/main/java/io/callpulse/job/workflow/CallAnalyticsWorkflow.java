package io.callpulse.job.workflow;

import io.callpulse.job.JobSettings;
import io.callpulse.job.functions.DecodeAudioRecords;
import io.callpulse.job.functions.StreamWindowAnalyzer;
import io.callpulse.job.io.KafkaBytes;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.WindowMetrics;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole job as one dataflow, from the audio records to the outputs. Sources and sinks are
 * arguments: {@code main} passes Kafka's, tests may pass their own.
 */
public final class CallAnalyticsWorkflow {

    private CallAnalyticsWorkflow() {}

    public static void build(
            StreamExecutionEnvironment env,
            JobSettings settings,
            Source<KafkaBytes, ?, ?> audioSource,
            Sink<WindowMetrics> metricsSink,
            Sink<DeadLetter> deadLetterSink) {
        // event time is the media time, which the ingest also wrote as the record timestamp;
        // idleness keeps a partition without calls from holding the watermark back
        WatermarkStrategy<KafkaBytes> watermarks =
                WatermarkStrategy.<KafkaBytes>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestampMs())
                        .withIdleness(settings.idleness());

        SingleOutputStreamOperator<AudioRecord> audio =
                env.fromSource(audioSource, watermarks, "audio records")
                        .uid("audio-source")
                        .process(new DecodeAudioRecords())
                        .uid("decode-audio")
                        .name("decode audio records");

        audio.keyBy(AudioRecord::streamId)
                .process(
                        new StreamWindowAnalyzer(
                                settings.windowMs(),
                                settings.analysis().voiceActivityDetector(),
                                settings.analysis().conversationRules(),
                                settings.analysis().reorderChunks()))
                .uid("stream-window-analyzer")
                .name("per-stream windows")
                .sinkTo(metricsSink)
                .uid("metrics-sink")
                .name("metrics");

        audio.getSideOutput(DecodeAudioRecords.DEAD_LETTERS)
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead letters");
    }
}
