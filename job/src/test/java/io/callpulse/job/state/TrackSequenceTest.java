package io.callpulse.job.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackSequenceTest {

    private static final long T0 = 1_700_000_000_000L;

    private final TrackSequence sequence = new TrackSequence();
    private final List<Long> released = new ArrayList<>();

    /** Chunk {@code n} is the 20 ms at T0 + 20 (n - 1), arriving at {@code arrivalOffsetMs}. */
    private void arrive(long chunk, long arrivalOffsetMs) {
        sequence.accept(
                AudioRecord.audio(
                        "s",
                        Track.INBOUND,
                        AudioEncoding.MULAW,
                        8000,
                        chunk,
                        1,
                        T0 + 20 * (chunk - 1),
                        T0 + arrivalOffsetMs,
                        new byte[160]),
                TrackSequence.DEFAULT_CAPACITY,
                record -> released.add(record.firstChunk()));
    }

    private void arriveOnTime(long... chunks) {
        for (long chunk : chunks) {
            arrive(chunk, 20 * (chunk - 1));
        }
    }

    @Test
    void inOrderChunksPassStraightThrough() {
        arriveOnTime(1, 2, 3);

        assertThat(released).containsExactly(1L, 2L, 3L);
        assertThat(sequence.held).isEmpty();
        assertThat(sequence.reordered + sequence.missing + sequence.duplicates).isZero();
    }

    @Test
    void aSwappedPairIsPutBackInOrder() {
        arriveOnTime(1, 3, 2, 4);

        assertThat(released).containsExactly(1L, 2L, 3L, 4L);
        assertThat(sequence.reordered).isEqualTo(1);
        assertThat(sequence.missing).isZero();
    }

    @Test
    void aLostChunkIsCountedMissingOnceTheBufferIsFull() {
        arriveOnTime(1, 3, 4, 5, 6, 7);
        assertThat(released).containsExactly(1L);

        arriveOnTime(8);

        assertThat(released).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(sequence.missing).isEqualTo(1);
    }

    @Test
    void aChunkArrivingAfterItsPlaceWasGivenUpIsLateAndNoLongerMissing() {
        arriveOnTime(1, 3, 4, 5, 6, 7, 8);
        arrive(2, 500);

        assertThat(released).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(sequence.late).isEqualTo(1);
        assertThat(sequence.missing).isZero();
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        arriveOnTime(1, 2, 2, 3, 1);

        assertThat(released).containsExactly(1L, 2L, 3L);
        assertThat(sequence.duplicates).isEqualTo(2);
    }

    @Test
    void aClosingWindowReleasesWhatStartedBeforeIt() {
        arriveOnTime(1, 3, 4);

        sequence.releaseBefore(T0 + 60, record -> released.add(record.firstChunk()));

        assertThat(released).containsExactly(1L, 3L);
        assertThat(sequence.missing).isEqualTo(1);
        assertThat(sequence.held).extracting(AudioRecord::firstChunk).containsExactly(4L);
    }

    @Test
    void theFirstChunksMayArriveOutOfOrder() {
        arriveOnTime(2, 1, 3);

        assertThat(released).containsExactly(1L, 2L, 3L);
        assertThat(sequence.reordered).isEqualTo(1);
    }

    @Test
    void jitterFollowsRfc3550AndTheLongestGapIsKept() {
        // media every 20 ms; arrivals at 0, 20, 60 (40 ms late), 60 (back on time)
        arrive(1, 0);
        arrive(2, 20);
        arrive(3, 80);
        arrive(4, 80);

        // D = 0, then 40, then |-20| = 20: J = 0; J += (40 - 0)/16 = 2.5; J += (20 - 2.5)/16
        assertThat(sequence.jitterMs).isEqualTo(2.5 + (20 - 2.5) / 16.0);
        assertThat(sequence.longestGapMs).isEqualTo(60);
    }
}
