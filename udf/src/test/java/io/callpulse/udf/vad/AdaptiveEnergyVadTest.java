package io.callpulse.udf.vad;

import static io.callpulse.udf.vad.Signals.speechAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdaptiveEnergyVadTest {

    private final AdaptiveEnergyVad vad = new AdaptiveEnergyVad();

    @Test
    void aToneBurstOverQuietNoiseIsSpeechExactlyWhereItIs() {
        Signals signal = new Signals(3).noise(50, -60).add(50, -60, -20).noise(50, -60);

        assertThat(signal.decide(vad)).containsExactly(speechAt(150, 50, 100));
    }

    @Test
    void theFloorLearnsASteadySoundThatIsLouderThanItsStart() {
        // a steady -40 dBFS hum over digital silence (a 300 Hz sine: six whole periods a frame,
        // so every frame is exactly -40 dBFS). The floor starts at -50 and rises 0.05 dB a frame:
        // frame k is speech while -40 > -50 + 0.05 k + 9, that is for k < 20.
        Signals signal = new Signals(4).add(200, -200, -40);

        assertThat(signal.decide(vad)).containsExactly(speechAt(200, 0, 20));
    }

    @Test
    void speechAtTheVeryStartIsHeard() {
        Signals signal = new Signals(2).add(25, -60, -25).noise(75, -60);

        assertThat(signal.decide(vad)).containsExactly(speechAt(100, 0, 25));
    }

    @Test
    void quietSoundsBelowTheMinimumSpeechLevelAreNotSpeech() {
        // a -58 dBFS tone over digital silence stands far above the floor but is below -55
        Signals signal = new Signals(2).noise(50, -130).add(50, -130, -58);

        assertThat(signal.decide(vad)).containsOnly(false);
    }

    @Test
    void digitalSilenceIsNeverSpeech() {
        Signals signal = new Signals(1).noise(50, -200);

        assertThat(signal.decide(vad)).containsOnly(false);
    }

    @Test
    void theFloorFollowsAQuieterFrameAtOnce() {
        float[] state = vad.newState();
        short[] loud = new short[160];
        java.util.Arrays.fill(loud, (short) 1000); // -30.3 dBFS
        short[] quiet = new short[160];
        java.util.Arrays.fill(quiet, (short) 10); // -70.3 dBFS

        vad.isSpeech(state, loud, 0, 160, 8000);
        vad.isSpeech(state, quiet, 0, 160, 8000);

        assertThat(AdaptiveEnergyVad.noiseFloorDbfs(state)).isCloseTo(-70.309, within());
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new AdaptiveEnergyVad(0, -55, 0.05))
                .hasMessage(
                        "marginDb and riseDbPerFrame: expected positive values, found 0.0 and"
                                + " 0.05");
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(0.001);
    }
}
