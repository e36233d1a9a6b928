package io.callpulse.job.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.job.io.KafkaBytes;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.AudioRecordCodec;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DecodeAudioRecordsTest {

    @Test
    void decodesGoodRecordsAndDeadLettersBadOnesWithTheReason() throws Exception {
        AudioRecord good =
                AudioRecord.audio(
                        "s1",
                        Track.INBOUND,
                        AudioEncoding.MULAW,
                        8000,
                        1,
                        1,
                        20,
                        25,
                        new byte[160]);
        byte[] key = "s1".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {9, 1};
        try (OneInputStreamOperatorTestHarness<KafkaBytes, AudioRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeAudioRecords())) {
            harness.processElement(
                    new KafkaBytes(
                            "callpulse.audio", 0, 7, 20, key, AudioRecordCodec.encodeValue(good)),
                    20);
            harness.processElement(new KafkaBytes("callpulse.audio", 1, 8, 30, key, bad), 30);
            harness.processElement(
                    new KafkaBytes(
                            "callpulse.audio", 0, 9, 40, key, AudioRecordCodec.encodeValue(good)),
                    40);

            assertThat(harness.extractOutputValues()).containsExactly(good, good);
            assertThat(harness.getSideOutput(DecodeAudioRecords.DEAD_LETTERS))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(
                            new DeadLetter(
                                    "job",
                                    "callpulse.audio@1:8: version: expected 1, found 9",
                                    "s1",
                                    30,
                                    Base64.getEncoder().encodeToString(bad)));
        }
    }
}
