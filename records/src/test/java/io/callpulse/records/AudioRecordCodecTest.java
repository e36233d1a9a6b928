package io.callpulse.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callpulse.udf.codec.AudioEncoding;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AudioRecordCodecTest {

    private static final AudioRecord AUDIO =
            AudioRecord.audio(
                    "stream-1",
                    Track.OUTBOUND,
                    AudioEncoding.L16,
                    16000,
                    41,
                    2,
                    1_705_312_200_000L,
                    1_705_312_200_035L,
                    new byte[] {1, 2, 3, 4});

    @Test
    void audioRoundTrips() {
        byte[] value = AudioRecordCodec.encodeValue(AUDIO);
        AudioRecord back = AudioRecordCodec.decode(AudioRecordCodec.encodeKey("stream-1"), value);
        assertThat(back).isEqualTo(AUDIO);
        assertThat(back.payload()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void endOfStreamRoundTrips() {
        AudioRecord marker = AudioRecord.endOfStream("stream-1", 1_000L, 2_000L);
        AudioRecord back =
                AudioRecordCodec.decode(
                        AudioRecordCodec.encodeKey("stream-1"),
                        AudioRecordCodec.encodeValue(marker));
        assertThat(back).isEqualTo(marker);
        assertThat(back.endOfStream()).isTrue();
        assertThat(back.mediaTimestampMs()).isEqualTo(1_000L);
        assertThat(back.receivedAtMs()).isEqualTo(2_000L);
    }

    @Test
    void writesTheDocumentedBigEndianLayout() {
        byte[] value = AudioRecordCodec.encodeValue(AUDIO);
        assertThat(HexFormat.of().formatHex(value))
                .isEqualTo(
                        "01" // version
                                + "01" // kind audio
                                + "02" // outbound
                                + "02" // L16
                                + "00003e80" // 16000 Hz
                                + "0000000000000029" // first chunk 41
                                + "00000002" // two chunks
                                + "0000018d0c872540" // 1705312200000
                                + "0000018d0c872563" // 1705312200035
                                + "00000004" // payload length
                                + "01020304");
        assertThat(value).hasSize(AudioRecordCodec.AUDIO_HEADER_BYTES + 4);
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] value = AudioRecordCodec.encodeValue(AUDIO);
        value[0] = 9;
        assertThatThrownBy(() -> AudioRecordCodec.decode(new byte[] {'s'}, value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("version: expected 1, found 9");
    }

    @Test
    void refusesAnUnknownKindTrackOrEncoding() {
        byte[] value = AudioRecordCodec.encodeValue(AUDIO);
        byte[] kind = value.clone();
        kind[1] = 7;
        assertThatThrownBy(() -> AudioRecordCodec.decode(new byte[] {'s'}, kind))
                .hasMessage("kind: expected 1 (audio) or 2 (end of stream), found 7");
        byte[] track = value.clone();
        track[2] = 3;
        assertThatThrownBy(() -> AudioRecordCodec.decode(new byte[] {'s'}, track))
                .hasMessage("track code 3 is not known; expected 1 or 2");
        byte[] encoding = value.clone();
        encoding[3] = 0;
        assertThatThrownBy(() -> AudioRecordCodec.decode(new byte[] {'s'}, encoding))
                .hasMessage("encoding: expected 1 (mu-law) or 2 (L16), found 0");
    }

    @Test
    void refusesTruncatedOrPaddedValues() {
        byte[] value = AudioRecordCodec.encodeValue(AUDIO);
        assertThatThrownBy(
                        () ->
                                AudioRecordCodec.decode(
                                        new byte[] {'s'}, Arrays.copyOf(value, value.length - 1)))
                .hasMessage("payload length: header says 4 bytes, the value holds 3");
        assertThatThrownBy(
                        () -> AudioRecordCodec.decode(new byte[] {'s'}, Arrays.copyOf(value, 20)))
                .hasMessage("value: truncated, 20 bytes is shorter than its header");
        assertThatThrownBy(() -> AudioRecordCodec.decode(new byte[] {'s'}, new byte[] {1}))
                .hasMessage("value: expected at least 2 bytes (version, kind), found 1");
    }

    @Test
    void refusesAMissingKey() {
        assertThatThrownBy(() -> AudioRecordCodec.decode(null, AudioRecordCodec.encodeValue(AUDIO)))
                .hasMessage("key: expected the StreamID, found no key");
    }

    @Test
    void durationFollowsEncodingAndRate() {
        assertThat(AUDIO.sampleCount()).isEqualTo(2);
        assertThat(AUDIO.durationMs()).isEqualTo(0.125);
        AudioRecord mulaw20ms =
                AudioRecord.audio(
                        "s", Track.INBOUND, AudioEncoding.MULAW, 8000, 1, 1, 0, 0, new byte[160]);
        assertThat(mulaw20ms.durationMs()).isEqualTo(20.0);
    }
}
