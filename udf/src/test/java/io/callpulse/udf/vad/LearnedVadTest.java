package io.callpulse.udf.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LearnedVadTest {

    static final int RATE = 8000;
    static final int FRAME = 160;

    /** Noise at noiseRms plus, on [from, to) frames, a harmonic complex at pitch f0. */
    static short[] signal(int frames, double noiseRms, int from, int to, double f0, double amp) {
        Random r = new Random(11);
        short[] out = new short[frames * FRAME];
        double phase = 0;
        for (int i = 0; i < out.length; i++) {
            int f = i / FRAME;
            double v = noiseRms * r.nextGaussian();
            if (f >= from && f < to) {
                phase += 2 * Math.PI * f0 / RATE;
                for (int h = 1; h * f0 < 3400; h++) {
                    v += amp / h * Math.sin(h * phase);
                }
            }
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return out;
    }

    static float[] base(short[] samples, int frame, int rate) {
        float[] state = new float[VadFeatures.STATE_SIZE];
        float[] out = new float[VadFeatures.INPUTS];
        int len = rate / 50;
        for (int f = 0; f <= frame; f++) {
            VadFeatures.compute(state, 0, samples, f * len, len, rate, out);
        }
        return java.util.Arrays.copyOf(out, VadFeatures.BASE);
    }

    static short[] tone(double hz, double amp, int frames) {
        short[] out = new short[frames * FRAME];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.round(amp * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return out;
    }

    @Test
    void aPureToneIsPeriodicAndCrossesZeroAtTwiceItsFrequency() {
        float[] f = base(tone(1000, 8000, 3), 2, RATE);
        // 1 kHz at 8 kHz: 8 samples a period, 2 crossings a period, 159 sample pairs
        assertThat(f[VadFeatures.BANDS + 5]).isCloseTo(40f / 159, within(1.5f / 159));
        // 200 Hz: a 40-sample period, inside the pitch lags
        assertThat(base(tone(200, 8000, 3), 2, RATE)[VadFeatures.BANDS + 4]).isGreaterThan(0.9f);
        // first frame: the floors start at -50 dBFS spread over the bands by width, so the
        // -15.3 dBFS tone stands 46.9 dB over the 900-1100 Hz band's floor of -62.2 dBFS
        float[] level = base(tone(1000, 8000, 1), 0, RATE);
        assertThat(level[4]).isCloseTo(4.67f, within(0.02f));
        assertThat(level[VadFeatures.BANDS + 7]).isEqualTo(level[4]);
        assertThat(level[VadFeatures.BANDS + 1]).isCloseTo((-15.3f + 50) / 20, within(0.01f));
    }

    @Test
    void whiteNoiseIsNotPeriodicAndAHarmonicComplexIs() {
        short[] noise = signal(20, 1000, 0, 0, 0, 0);
        assertThat(base(noise, 19, RATE)[VadFeatures.BANDS + 4]).isLessThan(0.5f);
        short[] voiced = signal(20, 0, 0, 20, 140, 3000);
        assertThat(base(voiced, 19, RATE)[VadFeatures.BANDS + 4]).isGreaterThan(0.9f);
        // white noise has a nearly flat band spectrum, a harmonic complex at 1/h does not
        assertThat(base(noise, 19, RATE)[VadFeatures.BANDS + 3])
                .isGreaterThan(base(voiced, 19, RATE)[VadFeatures.BANDS + 3]);
    }

    @Test
    void aVoicedBurstInNoiseIsSpeechAndTheNoiseIsNot() {
        // 3 s of white noise at -40 dBFS, a 1.5 s voiced burst 20 dB above it, 3 s of noise
        short[] s = signal(375, 330, 150, 225, 130, 2500);
        VoiceActivityDetector vad = new LearnedVad();
        float[] state = vad.newState();
        int speechInBurst = 0;
        int speechOutside = 0;
        int lastSpeech = -1;
        for (int f = 0; f < 375; f++) {
            boolean speech = vad.isSpeech(state, s, f * FRAME, FRAME, RATE);
            if (f >= 150 && f < 225) {
                speechInBurst += speech ? 1 : 0;
            } else {
                speechOutside += speech ? 1 : 0;
            }
            if (speech) {
                lastSpeech = f;
            }
        }
        assertThat(speechInBurst).isGreaterThanOrEqualTo(70);
        assertThat(lastSpeech).isBetween(224, 225 + 25);
        assertThat(speechOutside).isLessThanOrEqualTo(30);
    }

    @Test
    void steadyWhiteNoiseIsLearntAsNoise() {
        short[] s = signal(500, 1000, 0, 0, 0, 0); // -30 dBFS
        VoiceActivityDetector vad = new LearnedVad();
        float[] state = vad.newState();
        int speech = 0;
        for (int f = 0; f < 500; f++) {
            boolean d = vad.isSpeech(state, s, f * FRAME, FRAME, RATE);
            if (f >= 250 && d) {
                speech++;
            }
        }
        assertThat(speech).isEqualTo(0);
    }

    @Test
    void digitalSilenceIsNeverSpeech() {
        short[] s = new short[100 * FRAME];
        VoiceActivityDetector vad = new LearnedVad();
        float[] state = vad.newState();
        for (int f = 0; f < 100; f++) {
            assertThat(vad.isSpeech(state, s, f * FRAME, FRAME, RATE)).isFalse();
        }
    }

    @Test
    void sixteenKilohertzFramesAreDecimated() {
        short[] s8 = signal(200, 330, 50, 150, 130, 2500);
        short[] s16 = new short[s8.length * 2];
        for (int i = 0; i < s8.length; i++) {
            s16[2 * i] = s8[i];
            s16[2 * i + 1] = s8[i];
        }
        VoiceActivityDetector vad = new LearnedVad();
        float[] state = vad.newState();
        int speech = 0;
        for (int f = 0; f < 200; f++) {
            boolean d = vad.isSpeech(state, s16, f * 2 * FRAME, 2 * FRAME, 16000);
            if (f >= 50 && f < 150 && d) {
                speech++;
            }
        }
        assertThat(speech).isGreaterThanOrEqualTo(90);
    }

    @Test
    void framesAllocateNothing() {
        short[] s = signal(200, 330, 50, 150, 130, 2500);
        VoiceActivityDetector vad = new LearnedVad();
        float[] state = vad.newState();
        for (int rep = 0; rep < 50; rep++) {
            for (int f = 0; f < 200; f++) {
                vad.isSpeech(state, s, f * FRAME, FRAME, RATE);
            }
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int f = 0; f < 200; f++) {
            vad.isSpeech(state, s, f * FRAME, FRAME, RATE);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(allocated).isLessThan(1000); // the probe itself, not 200 frames' worth
    }

    @Test
    void theShippedWeightsAreWhatTheTrainerWrote() throws Exception {
        byte[] weights;
        String recorded;
        try (InputStream in = VadModel.class.getResourceAsStream(VadModel.RESOURCE);
                InputStream sha =
                        VadModel.class.getResourceAsStream(VadModel.RESOURCE + ".sha256")) {
            weights = in.readAllBytes();
            recorded = new String(sha.readAllBytes(), StandardCharsets.US_ASCII).split("\\s+")[0];
        }
        String actual =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights));
        assertThat(actual).isEqualTo(recorded);
        VadModel model = VadModel.shipped();
        assertThat(model.inputs).isEqualTo(VadFeatures.INPUTS);
        assertThat(model.featureSet).isEqualTo(VadFeatures.featureSet());
        // write and read are inverses: the text round-trips exactly
        String text = new String(weights, StandardCharsets.UTF_8);
        String comment =
                text.lines()
                        .filter(l -> l.startsWith("# "))
                        .map(l -> l.substring(2))
                        .reduce((a, b) -> a + "\n" + b)
                        .orElse("");
        assertThat(model.write(comment)).isEqualTo(text);
    }

    @Test
    void theDefaultDetectorIsTheLearnedOne() {
        assertThat(Hangover.defaultDetector()).isInstanceOf(LearnedVad.class);
    }
}
