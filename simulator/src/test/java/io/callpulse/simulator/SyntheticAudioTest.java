package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.callpulse.udf.level.Levels;
import org.junit.jupiter.api.Test;

class SyntheticAudioTest {

    @Test
    void segmentsFollowEachOtherWithExactLengthsAndLevels() {
        short[] audio =
                SyntheticAudio.at(8000)
                        .tone(1000, -26, 500)
                        .silence(250)
                        .tone(440, -6, 100)
                        .build();
        assertThat(audio).hasSize(4000 + 2000 + 800);
        assertThat(Levels.rmsDbfs(audio, 0, 4000)).isCloseTo(-26.0, within(0.001));
        assertThat(Levels.rmsDbfs(audio, 4000, 2000)).isEqualTo(Levels.DIGITAL_SILENCE_DBFS);
        // 440 Hz: 100 ms is 44 whole cycles
        assertThat(Levels.rmsDbfs(audio, 6000, 800)).isCloseTo(-6.0, within(0.01));
    }

    @Test
    void aCallCountsItsTwentyMillisecondMessages() {
        PlivoCall call =
                new PlivoCall(
                        "s",
                        "c",
                        StreamFormat.L16_16K,
                        SyntheticAudio.at(16000).silence(1010).build(),
                        SyntheticAudio.at(16000).silence(500).build(),
                        null);
        assertThat(call.samplesPerMessage()).isEqualTo(320);
        assertThat(call.messageCount()).isEqualTo(51); // the last message carries 10 ms
    }

    @Test
    void formatsEncodeToTheirWireSize() {
        short[] samples = new short[160];
        assertThat(StreamFormat.MULAW_8K.encode(samples, 0, 160))
                .hasSize(160)
                .containsOnly((byte) 0xFF);
        assertThat(StreamFormat.L16_8K.encode(samples, 0, 160)).hasSize(320);
    }
}
