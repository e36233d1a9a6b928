package io.callpulse.job.workflow;

import io.callpulse.job.JobSettings;
import io.callpulse.job.functions.DecodeAudioRecords;
import io.callpulse.job.functions.DecodeStreamEvents;
import io.callpulse.job.functions.StreamAnalyzer;
import io.callpulse.job.io.KafkaBytes;
import io.callpulse.records.Alert;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.StreamSummary;
import io.callpulse.records.WindowMetrics;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
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
            Source<KafkaBytes, ?, ?> eventSource,
            Sink<WindowMetrics> metricsSink,
            Sink<StreamSummary> summarySink,
            Sink<Alert> alertSink,
            Sink<DeadLetter> deadLetterSink) {
        // event time is the media time, which the ingest also wrote as the record timestamp;
        // idleness keeps a partition without calls from holding the watermark back
        WatermarkStrategy<KafkaBytes> audioWatermarks =
                WatermarkStrategy.<KafkaBytes>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestampMs())
                        .withIdleness(settings.idleness());

        SingleOutputStreamOperator<AudioRecord> audio =
                env.fromSource(audioSource, audioWatermarks, "audio records")
                        .uid("audio-source")
                        .process(new DecodeAudioRecords())
                        .uid("decode-audio")
                        .name("decode audio records");

        // events are joined by key in arrival order, not by event time: they must never hold
        // back the audio's watermark, nor push it (a watermark at the end of time would make all
        // later audio late once the audio input goes idle), so their input is always idle
        SingleOutputStreamOperator<StreamEvent> events =
                env.fromSource(eventSource, NEVER_HOLDS_BACK, "stream events")
                        .uid("event-source")
                        .process(new DecodeStreamEvents())
                        .uid("decode-events")
                        .name("decode stream events");

        SingleOutputStreamOperator<WindowMetrics> metrics =
                audio.keyBy(AudioRecord::streamId)
                        .connect(events.keyBy(StreamEvent::streamId))
                        .process(
                                new StreamAnalyzer(
                                        settings.windowMs(),
                                        settings.analysis().voiceActivityDetector(),
                                        settings.analysis().conversationRules(),
                                        settings.analysis().reorderChunks(),
                                        settings.alerting()))
                        .uid("stream-analyzer")
                        .name("per-stream analysis");
        metrics.sinkTo(metricsSink).uid("metrics-sink").name("metrics");
        metrics.getSideOutput(StreamAnalyzer.SUMMARIES)
                .sinkTo(summarySink)
                .uid("summary-sink")
                .name("summaries");
        metrics.getSideOutput(StreamAnalyzer.ALERTS)
                .sinkTo(alertSink)
                .uid("alert-sink")
                .name("alerts");

        audio.getSideOutput(DecodeAudioRecords.DEAD_LETTERS)
                .union(events.getSideOutput(DecodeAudioRecords.DEAD_LETTERS))
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead letters");
    }

    private static final WatermarkStrategy<KafkaBytes> NEVER_HOLDS_BACK =
            WatermarkStrategy.forGenerator(
                    context ->
                            new WatermarkGenerator<>() {
                                @Override
                                public void onEvent(
                                        KafkaBytes event, long timestamp, WatermarkOutput output) {}

                                @Override
                                public void onPeriodicEmit(WatermarkOutput output) {
                                    output.markIdle();
                                }
                            });
}
