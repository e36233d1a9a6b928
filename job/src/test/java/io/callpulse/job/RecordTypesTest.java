package io.callpulse.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.job.io.KafkaBytes;
import io.callpulse.job.state.TrackFramer;
import io.callpulse.job.state.WindowAccumulator;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.Track;
import io.callpulse.records.TrackWindowMetrics;
import io.callpulse.records.WindowMetrics;
import io.callpulse.udf.codec.AudioEncoding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** Every type that flows between operators or sits in state is serialised by Flink without Kryo. */
class RecordTypesTest {

    @Test
    void noTypeFallsBackToKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AudioRecord.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(KafkaBytes.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowMetrics.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TrackWindowMetrics.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeadLetter.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TrackFramer.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowAccumulator.class);
    }

    private static <T> T flinkRoundTrip(T value, Class<T> type) throws Exception {
        TypeSerializer<T> serializer =
                TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        serializer.serialize(value, new DataOutputViewStreamWrapper(bytes));
        return serializer.deserialize(
                new DataInputViewStreamWrapper(new ByteArrayInputStream(bytes.toByteArray())));
    }

    @Test
    void recordsRoundTripThroughFlinksSerializers() throws Exception {
        AudioRecord audio =
                AudioRecord.audio(
                        "s",
                        Track.OUTBOUND,
                        AudioEncoding.L16,
                        16000,
                        3,
                        1,
                        5,
                        6,
                        new byte[] {1, 2});
        assertThat(flinkRoundTrip(audio, AudioRecord.class)).isEqualTo(audio);
        AudioRecord marker = AudioRecord.endOfStream("s", 10, 11);
        assertThat(flinkRoundTrip(marker, AudioRecord.class)).isEqualTo(marker);
        WindowMetrics metrics =
                new WindowMetrics("s", 0, 1000, new TrackWindowMetrics(50, -20.0), null);
        assertThat(flinkRoundTrip(metrics, WindowMetrics.class)).isEqualTo(metrics);
        DeadLetter letter = new DeadLetter("job", "r", null, 1, "x");
        assertThat(flinkRoundTrip(letter, DeadLetter.class)).isEqualTo(letter);

        WindowAccumulator window = new WindowAccumulator();
        window.addFrame(Track.OUTBOUND, 0.25);
        WindowAccumulator windowBack = flinkRoundTrip(window, WindowAccumulator.class);
        assertThat(windowBack.frames).containsExactly(0, 1);
        assertThat(windowBack.powerSum).containsExactly(0.0, 0.25);
    }
}
