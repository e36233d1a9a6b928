package io.callpulse.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackFramerTest {

    private static final long T0 = 1_700_000_000_000L;

    private final TrackFramer framer = new TrackFramer();
    private final List<String> frames = new ArrayList<>();

    /**
     * Sample {@code i} of the track has the value {@code i} (mod 2^15), so frames show their
     * origin.
     */
    private static short[] ramp(int from, int count) {
        short[] samples = new short[count];
        for (int i = 0; i < count; i++) {
            samples[i] = (short) ((from + i) % Short.MAX_VALUE);
        }
        return samples;
    }

    /** "start+ms first..last length" of each frame. */
    private void feed(TrackFramer into, int from, int count, long startMs, int rate) {
        into.accept(
                ramp(from, count),
                count,
                startMs,
                rate,
                (frameStartMs, samples, offset, length) ->
                        frames.add(
                                (frameStartMs - T0)
                                        + " "
                                        + samples[offset]
                                        + ".."
                                        + samples[offset + length - 1]
                                        + " "
                                        + length));
    }

    @Test
    void wholeFrameChunksLeaveNothingWaiting() {
        feed(framer, 0, 160, T0, 8000);
        feed(framer, 160, 160, T0 + 20, 8000);

        assertThat(frames).containsExactly("0 0..159 160", "20 160..319 160");
        assertThat(framer.pending).isNull();
        assertThat(framer.pendingCount()).isZero();
    }

    @Test
    void onlyTheWaitingSamplesAreKept() {
        // 7 ms chunks at 16 kHz: 112 samples, a frame is 320
        for (int k = 0; k < 4; k++) {
            feed(framer, 112 * k, 112, T0 + 7 * k, 16000);
        }

        assertThat(frames).containsExactly("0 0..319 320");
        // 448 samples in, 320 out: the last 128 wait, from 20 ms on
        assertThat(framer.pending).hasSize(128);
        assertThat(framer.pending[0]).isEqualTo((short) 320);
        assertThat(framer.pending[127]).isEqualTo((short) 447);
        assertThat(framer.pendingStartMs).isEqualTo(T0 + 20);
        assertThat(framer.sampleRate).isEqualTo(16000);
    }

    @Test
    void aChunkThatDoesNotContinueDropsTheWaitingSamples() {
        feed(framer, 0, 100, T0, 8000);
        // 100 samples end at 12.5 ms; this starts at 40 ms
        feed(framer, 320, 160, T0 + 40, 8000);

        assertThat(frames).containsExactly("40 320..479 160");
        assertThat(framer.pending).isNull();
    }

    @Test
    void anotherRateDropsTheWaitingSamples() {
        feed(framer, 0, 100, T0, 8000);
        feed(framer, 100, 320, T0 + 12, 16000);

        assertThat(frames).containsExactly("12 100..419 320");
        assertThat(framer.pending).isNull();
        assertThat(framer.sampleRate).isEqualTo(16000);
    }

    @Test
    void aChunkShorterThanTheRestOfTheFrameKeepsWaiting() {
        feed(framer, 0, 100, T0, 8000);
        feed(framer, 100, 30, T0 + 12, 8000);

        assertThat(frames).isEmpty();
        assertThat(framer.pending).hasSize(130);
        assertThat(framer.pendingStartMs).isEqualTo(T0);

        feed(framer, 130, 40, T0 + 16, 8000);
        assertThat(frames).containsExactly("0 0..159 160");
        // the frame's last 30 samples came at 16 ms and took 3.75 ms: whole ms, as chunks are
        assertThat(framer.pending).hasSize(10);
        assertThat(framer.pendingStartMs).isEqualTo(T0 + 19);
    }

    @Test
    void aRestoredFramerCutsTheSameFramesAsTheOriginal() throws Exception {
        feed(framer, 0, 100, T0, 8000);
        TrackFramer restored = StateSerde.roundTrip(framer, TrackFramer.class);

        feed(framer, 100, 300, T0 + 12, 8000);
        List<String> original = List.copyOf(frames);
        frames.clear();
        feed(restored, 100, 300, T0 + 12, 8000);

        assertThat(original).containsExactly("0 0..159 160", "19 160..319 160");
        assertThat(frames).isEqualTo(original);
        assertThat(restored.pending).containsExactly(framer.pending);
        assertThat(restored.pendingStartMs).isEqualTo(framer.pendingStartMs);
    }

    @Test
    void anEmptyFramerCheckpointsInSixteenBytes() throws Exception {
        feed(framer, 0, 160, T0, 8000);
        // the POJO's flag byte, then per field a null flag and its value: pending (null),
        // pendingStartMs (8), sampleRate (4)
        assertThat(StateSerde.serialize(framer, TrackFramer.class)).hasSize(1 + 1 + 9 + 5);
        feed(framer, 160, 100, T0 + 20, 8000);
        // and 100 waiting samples: their count (4) and 2 bytes each
        assertThat(StateSerde.serialize(framer, TrackFramer.class))
                .hasSize(1 + 1 + 4 + 200 + 9 + 5);
    }
}
