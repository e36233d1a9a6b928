package io.callpulse.vadlab;

import io.callpulse.udf.vad.AdaptiveEnergyVad;
import io.callpulse.udf.vad.Hangover;
import io.callpulse.udf.vad.LearnedVad;
import io.callpulse.udf.vad.VadFeatures;
import io.callpulse.udf.vad.VadModel;
import io.callpulse.udf.vad.VoiceActivityDetector;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one 20 ms frame (160 samples at 8 kHz) of one track, single thread. The audio is 10 s of
 * synthetic speech-like bursts (harmonic complexes with a moving pitch) in noise, cycled frame by
 * frame so that every state path is taken.
 *
 * <pre>java -cp ... org.openjdk.jmh.Main VadFrameBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class VadFrameBenchmark {

    static final int FRAME = 160;
    static final int FRAMES = 500;

    short[] audio;
    int frame;

    final VoiceActivityDetector learned = new LearnedVad();
    final VoiceActivityDetector energy =
            new Hangover(new AdaptiveEnergyVad(), Hangover.DEFAULT_FRAMES);
    final VadModel model = VadModel.shipped();
    float[] learnedState;
    float[] energyState;
    float[] featureState;
    final float[] inputs = new float[VadFeatures.INPUTS];
    final float[] work = new float[256];

    @Setup
    public void setUp() {
        audio = syntheticCall(FRAMES * FRAME, 3);
        learnedState = learned.newState();
        energyState = energy.newState();
        featureState = new float[VadFeatures.STATE_SIZE];
        Random r = new Random(5);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) r.nextGaussian();
        }
    }

    /** Bursts of 0.3-2 s of a harmonic complex (pitch 90-250 Hz, gliding) over white noise. */
    static short[] syntheticCall(int n, long seed) {
        Random r = new Random(seed);
        short[] out = new short[n];
        int i = 0;
        double phase = 0;
        while (i < n) {
            int talk = 2400 + r.nextInt(13600);
            int pause = 1600 + r.nextInt(8000);
            double f0 = 90 + 160 * r.nextDouble();
            double amp = 1500 + 4000 * r.nextDouble();
            for (int k = 0; k < talk && i < n; k++, i++) {
                double f = f0 * (1 + 0.2 * Math.sin(2 * Math.PI * k / talk));
                phase += 2 * Math.PI * f / 8000;
                double v = 0;
                for (int h = 1; h <= 12; h++) {
                    v += Math.sin(h * phase) / h;
                }
                out[i] = (short) (amp * v + 300 * r.nextGaussian());
            }
            for (int k = 0; k < pause && i < n; k++, i++) {
                out[i] = (short) (300 * r.nextGaussian());
            }
        }
        return out;
    }

    private int next() {
        int f = frame;
        frame = f + 1 == FRAMES ? 0 : f + 1;
        return f * FRAME;
    }

    @Benchmark
    public boolean learnedVad() {
        return learned.isSpeech(learnedState, audio, next(), FRAME, 8000);
    }

    @Benchmark
    public boolean energyVad() {
        return energy.isSpeech(energyState, audio, next(), FRAME, 8000);
    }

    @Benchmark
    public float[] featuresOnly() {
        VadFeatures.compute(featureState, 0, audio, next(), FRAME, 8000, inputs);
        return inputs;
    }

    @Benchmark
    public float networkOnly() {
        return model.probability(inputs, work);
    }
}
