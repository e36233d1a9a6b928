package io.callpulse.job.functions;

import io.callpulse.job.io.KafkaBytes;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.AudioRecordCodec;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads {@code callpulse.audio} values. A record that cannot be read goes, with the reason, to the
 * {@link #DEAD_LETTERS} side output; the job goes on.
 */
public final class DecodeAudioRecords extends ProcessFunction<KafkaBytes, AudioRecord> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("audio-dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Counter malformed;

    @Override
    public void open(OpenContext openContext) {
        malformed = getRuntimeContext().getMetricGroup().counter("malformedAudioRecords");
    }

    @Override
    public void processElement(KafkaBytes in, Context ctx, Collector<AudioRecord> out) {
        try {
            out.collect(AudioRecordCodec.decode(in.key(), in.value()));
        } catch (MalformedRecordException e) {
            malformed.inc();
            ctx.output(
                    DEAD_LETTERS,
                    new DeadLetter(
                            "job",
                            in.topic()
                                    + "@"
                                    + in.partition()
                                    + ":"
                                    + in.offset()
                                    + ": "
                                    + e.getMessage(),
                            in.key() == null ? null : new String(in.key(), StandardCharsets.UTF_8),
                            in.timestampMs(),
                            in.value() == null
                                    ? null
                                    : Base64.getEncoder().encodeToString(in.value())));
        }
    }
}
