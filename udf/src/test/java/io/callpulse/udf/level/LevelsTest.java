package io.callpulse.udf.level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.callpulse.udf.codec.MuLaw;
import org.junit.jupiter.api.Test;

class LevelsTest {

    private static short[] sine(double amplitude, double frequency, int rate, int n) {
        short[] samples = new short[n];
        for (int i = 0; i < n; i++) {
            samples[i] =
                    (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return samples;
    }

    @Test
    void aFullScaleSineIsMinus3Point01Dbfs() {
        // 1 kHz at 8 kHz: 8 samples a cycle, 20 whole cycles in 160 samples
        short[] samples = sine(32767, 1000, 8000, 160);
        assertThat(Levels.rmsDbfs(samples, 0, samples.length)).isCloseTo(-3.0103, within(0.001));
    }

    @Test
    void aFullScaleSquareWaveIsZeroDbfs() {
        short[] samples = new short[160];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) -32768;
        }
        assertThat(Levels.rmsDbfs(samples, 0, samples.length)).isEqualTo(0.0);
    }

    @Test
    void aSineMadeForALevelMeasuresAtThatLevel() {
        short[] samples = sine(Levels.sineAmplitudeForDbfs(-20.0), 1000, 8000, 160);
        assertThat(Levels.rmsDbfs(samples, 0, samples.length)).isCloseTo(-20.0, within(0.001));
    }

    @Test
    void digitalSilenceReadsTheDocumentedFloor() {
        assertThat(Levels.rmsDbfs(new short[160], 0, 160)).isEqualTo(-120.0);
        assertThat(Levels.DIGITAL_SILENCE_DBFS).isEqualTo(-120.0);
        assertThat(Levels.dbfs(0.0)).isEqualTo(-120.0);
        assertThat(Levels.meanSquare(new short[0], 0, 0)).isEqualTo(0.0);
    }

    @Test
    void theQuietestMuLawSignalIsAboveTheFloor() {
        short[] samples = new short[160];
        samples[0] = MuLaw.decode((byte) 0xFE); // 8
        // 8/32768 in one sample of 160: 20*log10(8/32768) - 10*log10(160) = -72.25 - 22.04
        assertThat(Levels.rmsDbfs(samples, 0, 160)).isCloseTo(-94.29, within(0.01));
    }

    @Test
    void measuresOnlyTheGivenRange() {
        short[] samples = new short[320];
        System.arraycopy(sine(32767, 1000, 8000, 160), 0, samples, 160, 160);
        assertThat(Levels.rmsDbfs(samples, 0, 160)).isEqualTo(-120.0);
        assertThat(Levels.rmsDbfs(samples, 160, 160)).isCloseTo(-3.0103, within(0.001));
    }

    @Test
    void clippingIsWithinATenthOfADecibelOfFullScale() {
        // 32768 * 10^(-0.1/20) = 32392.7: 32393 is clipped, 32392 is not
        assertThat(Levels.CLIPPING_THRESHOLD).isEqualTo(32393);
        short[] samples = {32767, -32768, 32393, -32393, 32392, -32392, 0, 100};

        assertThat(Levels.clippedSamples(samples, 0, samples.length)).isEqualTo(4);
        assertThat(Levels.clippedSamples(samples, 4, 4)).isZero();
    }

    @Test
    void peakIsTheLargestMagnitude() {
        short[] samples = {100, -32768, 5};

        assertThat(Levels.peak(samples, 0, 3)).isEqualTo(32768);
        assertThat(Levels.peak(samples, 2, 1)).isEqualTo(5);
        assertThat(Levels.peakDbfs(32768)).isEqualTo(0.0);
        assertThat(Levels.peakDbfs(16384))
                .isCloseTo(-6.0206, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(Levels.peakDbfs(0)).isEqualTo(Levels.DIGITAL_SILENCE_DBFS);
    }
}
