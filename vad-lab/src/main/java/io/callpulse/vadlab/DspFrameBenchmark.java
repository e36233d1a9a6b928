package io.callpulse.vadlab;

import io.callpulse.udf.codec.AudioEncoding;
import io.callpulse.udf.codec.MuLaw;
import io.callpulse.udf.conversation.ConversationListener;
import io.callpulse.udf.conversation.ConversationRules;
import io.callpulse.udf.conversation.ConversationTracker;
import io.callpulse.udf.level.Levels;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of the rest of the job's per-frame DSP for one 20 ms frame (160 samples at 8 kHz) of one
 * track, single thread: decoding G.711 mu-law, the level figures the job keeps per frame (mean
 * square, peak, clipped samples), and one 20 ms slot of the two-party conversation tracker. With
 * {@link VadFrameBenchmark} it gives the DSP cost per track-second (50 frames).
 *
 * <pre>java -cp ... org.openjdk.jmh.Main DspFrameBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class DspFrameBenchmark {

    static final int FRAME = VadFrameBenchmark.FRAME;
    static final int FRAMES = VadFrameBenchmark.FRAMES;

    byte[] muLaw;
    short[] pcm;
    final short[] decoded = new short[FRAME];
    int frame;

    final ConversationRules rules = new ConversationRules(3_000, 500);
    final ConversationListener ignore = new ConversationListener() {};
    ConversationTracker tracker;
    long slotMs;

    @Setup
    public void setUp() {
        pcm = VadFrameBenchmark.syntheticCall(FRAMES * FRAME, 3);
        muLaw = new byte[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            muLaw[i] = MuLaw.encode(pcm[i]);
        }
        tracker = new ConversationTracker();
    }

    private int next() {
        int f = frame;
        frame = f + 1 == FRAMES ? 0 : f + 1;
        return f * FRAME;
    }

    @Benchmark
    public short[] decodeMuLaw() {
        AudioEncoding.MULAW.decode(muLaw, next(), FRAME, decoded, 0);
        return decoded;
    }

    @Benchmark
    public void levels(Blackhole sink) {
        int offset = next();
        sink.consume(Levels.meanSquare(pcm, offset, FRAME));
        sink.consume(Levels.peak(pcm, offset, FRAME));
        sink.consume(Levels.clippedSamples(pcm, offset, FRAME));
    }

    /** One slot of both parties, their speech alternating every 1-2 s with some overlap. */
    @Benchmark
    public ConversationTracker conversationSlot() {
        long slot = slotMs;
        slotMs = slot + ConversationTracker.SLOT_MS;
        boolean inbound = (slot / 1_000) % 3 != 2;
        boolean outbound = (slot / 700) % 3 == 2;
        tracker.advance(slot, inbound, outbound, rules, ignore);
        return tracker;
    }
}
