package io.callpulse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.AudioRecordCodec;
import io.callpulse.records.Track;
import io.callpulse.simulator.StreamFormat;
import io.callpulse.simulator.SyntheticAudio;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every function in a real Flink SQL query (a local MiniCluster), with exact expected values. */
class SqlFunctionsTest {

    private static TableEnvironment tables;

    @BeforeAll
    static void registerFunctions() {
        tables = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tables.createTemporarySystemFunction("AUDIO_LEVEL_DBFS", AudioLevelDbfs.class);
        tables.createTemporarySystemFunction("AUDIO_PEAK_DBFS", AudioPeakDbfs.class);
        tables.createTemporarySystemFunction("AUDIO_CLIPPING_RATIO", AudioClippingRatio.class);
        tables.createTemporarySystemFunction("AUDIO_SPEECH_FRACTION", AudioSpeechFraction.class);
        tables.createTemporarySystemFunction("AUDIO_PCM", AudioPcm.class);
        tables.createTemporarySystemFunction("AUDIO_TRACK", AudioTrack.class);
    }

    private static byte[] record(Track track, StreamFormat format, short[] samples) {
        return AudioRecordCodec.encodeValue(
                AudioRecord.audio(
                        "s1",
                        track,
                        format.encoding(),
                        format.sampleRate(),
                        1,
                        1,
                        1_700_000_000_000L,
                        1_700_000_000_000L,
                        format.encode(samples, 0, samples.length)));
    }

    /** Runs {@code select} over a table {@code chunks(id INT, record BYTES)}, ordered by id. */
    private static List<Row> query(String select, byte[]... records) throws Exception {
        List<Row> values = new ArrayList<>();
        for (int i = 0; i < records.length; i++) {
            values.add(Row.of(i, records[i]));
        }
        Table chunks =
                tables.fromValues(
                        DataTypes.ROW(
                                DataTypes.FIELD("id", DataTypes.INT()),
                                DataTypes.FIELD("record", DataTypes.BYTES())),
                        values);
        tables.createTemporaryView("chunks", chunks);
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> result =
                tables.executeSql(select + " FROM chunks ORDER BY id").collect()) {
            result.forEachRemaining(rows::add);
        } finally {
            tables.dropTemporaryView("chunks");
        }
        return rows;
    }

    @Test
    void levelsPeakAndClippingOfKnownSignals() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1000).build();
        short[] silence = SyntheticAudio.at(8000).silence(1000).build();
        short[] square = new short[8000];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 4) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }

        List<Row> rows =
                query(
                        "SELECT AUDIO_TRACK(record), AUDIO_LEVEL_DBFS(record),"
                                + " AUDIO_PEAK_DBFS(record), AUDIO_CLIPPING_RATIO(record)",
                        record(Track.INBOUND, StreamFormat.L16_8K, tone),
                        record(Track.OUTBOUND, StreamFormat.MULAW_8K, silence),
                        record(Track.INBOUND, StreamFormat.L16_16K, square));

        assertThat(rows.get(0).getField(0)).isEqualTo("inbound");
        assertThat((Double) rows.get(0).getField(1)).isCloseTo(-20.0, within(0.001));
        // a sine's peak is 3.01 dB above its RMS
        assertThat((Double) rows.get(0).getField(2)).isCloseTo(-16.99, within(0.01));
        assertThat(rows.get(0).getField(3)).isEqualTo(0.0);
        assertThat(rows.get(1).getField(0)).isEqualTo("outbound");
        assertThat(rows.get(1).getField(1)).isEqualTo(-120.0);
        assertThat(rows.get(1).getField(2)).isEqualTo(-120.0);
        assertThat(rows.get(2).getField(3)).isEqualTo(1.0);
        assertThat((Double) rows.get(2).getField(1)).isCloseTo(0.0, within(0.001));
    }

    @Test
    void speechFractionIsTheShareOfWholeFramesCalledSpeech() throws Exception {
        // the learned detector takes one frame to start on this voice and lets go at its end:
        // 500 ms of speech-like audio then 500 ms of silence is 24 + 1 frames of 50; a tone, steady
        // and loud, is speech from its first frame
        short[] burst = SyntheticAudio.at(8000).speech(150, -20, 500).silence(500).build();
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1000).build();
        short[] silence = SyntheticAudio.at(8000).silence(1000).build();
        short[] tooShort = SyntheticAudio.at(8000).tone(1000, -20, 10).build();

        List<Row> rows =
                query(
                        "SELECT AUDIO_SPEECH_FRACTION(record)",
                        record(Track.INBOUND, StreamFormat.L16_8K, burst),
                        record(Track.INBOUND, StreamFormat.MULAW_8K, tone),
                        record(Track.INBOUND, StreamFormat.MULAW_8K, silence),
                        record(Track.INBOUND, StreamFormat.MULAW_8K, tooShort));

        assertThat(rows).extracting(row -> row.getField(0)).containsExactly(0.5, 1.0, 0.0, null);
    }

    @Test
    void pcmIsTheDecodedAudioAsLittleEndianSixteenBit() throws Exception {
        short[] samples = {0, 1000, -1000, 32767};
        byte[] expected = {0, 0, (byte) 0xE8, 0x03, 0x18, (byte) 0xFC, (byte) 0xFF, 0x7F};

        List<Row> rows =
                query(
                        "SELECT AUDIO_PCM(record), AUDIO_PCM(AUDIO_PCM(record), 'audio/x-l16',"
                                + " 8000)",
                        record(Track.INBOUND, StreamFormat.L16_8K, samples));

        assertThat((byte[]) rows.get(0).getField(0)).containsExactly(expected);
        assertThat((byte[]) rows.get(0).getField(1)).containsExactly(expected);
    }

    @Test
    void rawAudioWithItsEncodingAndRate() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 200).build();
        byte[] mulaw = StreamFormat.MULAW_8K.encode(tone, 0, 1600);

        List<Row> rows =
                query(
                        "SELECT AUDIO_LEVEL_DBFS(record, 'audio/x-l16', 8000),"
                                + " AUDIO_LEVEL_DBFS(record, 'audio/x-mulaw', 8000),"
                                + " AUDIO_LEVEL_DBFS(record, 'audio/x-gsm', 8000)",
                        mulaw);

        // 1600 mu-law bytes read as L16 are 800 samples of noise-like values, not the tone
        assertThat((Double) rows.get(0).getField(0)).isGreaterThan(-10.0);
        // mu-law quantisation moves a -20 dBFS tone by less than 0.1 dB
        assertThat((Double) rows.get(0).getField(1)).isCloseTo(-20.0, within(0.1));
        assertThat(rows.get(0).getField(2)).isNull();
        assertThat(AudioEncoding.fromMimeType("audio/x-mulaw")).isEqualTo(AudioEncoding.MULAW);
    }

    @Test
    void unreadableInputIsNull() throws Exception {
        byte[] marker = AudioRecordCodec.encodeValue(AudioRecord.endOfStream("s1", 1_000L, 1_000L));

        List<Row> rows =
                query(
                        "SELECT AUDIO_LEVEL_DBFS(record), AUDIO_TRACK(record)",
                        new byte[] {9, 9, 9},
                        marker);

        assertThat(rows).extracting(row -> row.getField(0)).containsExactly(null, null);
        assertThat(rows).extracting(row -> row.getField(1)).containsExactly(null, null);
    }
}
