package io.callpulse.job.functions;

import io.callpulse.job.io.KafkaBytes;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.Json;
import io.callpulse.records.StreamEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads {@code callpulse.events} values (JSON). A value that is not a readable event, or has no
 * StreamID or type, goes to {@link DecodeAudioRecords#DEAD_LETTERS} with the reason.
 */
public final class DecodeStreamEvents extends ProcessFunction<KafkaBytes, StreamEvent> {

    private static final long serialVersionUID = 1L;

    private transient Counter malformed;

    @Override
    public void open(OpenContext openContext) {
        malformed = getRuntimeContext().getMetricGroup().counter("malformedStreamEvents");
    }

    @Override
    public void processElement(KafkaBytes in, Context ctx, Collector<StreamEvent> out) {
        String reason;
        try {
            StreamEvent event =
                    in.value() == null
                            ? null
                            : Json.mapper().readValue(in.value(), StreamEvent.class);
            if (event != null && event.streamId() != null && event.type() != null) {
                out.collect(event);
                return;
            }
            reason = "event: expected a JSON object with streamId and type";
        } catch (IOException e) {
            reason = "event: not a readable event (" + e.getMessage().split("\n", 2)[0] + ")";
        }
        malformed.inc();
        ctx.output(
                DecodeAudioRecords.DEAD_LETTERS,
                new DeadLetter(
                        "job",
                        in.topic() + "@" + in.partition() + ":" + in.offset() + ": " + reason,
                        in.key() == null ? null : new String(in.key(), StandardCharsets.UTF_8),
                        in.timestampMs(),
                        in.value() == null
                                ? null
                                : new String(in.value(), StandardCharsets.UTF_8)));
    }
}
