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

    /**
     * A record joining chunks {@code first..first+count-1} (the ingest's batching), arriving when
     * its first chunk was due plus {@code delayMs}.
     */
    private void arriveJoined(long first, int count, long delayMs) {
        sequence.accept(
                AudioRecord.audio(
                        "s",
                        Track.INBOUND,
                        AudioEncoding.MULAW,
                        8000,
                        first,
                        count,
                        T0 + 20 * (first - 1),
                        T0 + 20 * (first - 1) + delayMs,
                        new byte[160 * count]),
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
        // not put back in order, so not reordered: each chunk is counted under one heading
        assertThat(sequence.reordered).isZero();
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
    void joinedRecordsAreCountedByTheirChunks() {
        arriveJoined(1, 5, 0);
        arriveJoined(6, 5, 0);

        assertThat(released).containsExactly(1L, 6L);
        assertThat(sequence.received).isEqualTo(10);
        assertThat(sequence.nextChunk).isEqualTo(11);
        assertThat(sequence.highestChunkSeen).isEqualTo(10);
        assertThat(sequence.missing + sequence.duplicates + sequence.reordered + sequence.late)
                .isZero();
    }

    @Test
    void aJoinedSequenceWithAGapAndADuplicateCountsChunks() {
        arriveJoined(1, 5, 0);
        // chunks 6..10 are lost on the way; 11..15 waits for them
        arriveJoined(11, 5, 0);
        // chunk 3 again, written alone by the ingest: a duplicate, not late
        arrive(3, 240);
        assertThat(released).containsExactly(1L);
        assertThat(sequence.duplicates).isEqualTo(1);
        assertThat(sequence.late).isZero();

        // the window closes on 11..15: the buffer gives up 6..10
        sequence.releaseBefore(T0 + 20 * 11, record -> released.add(record.firstChunk()));
        assertThat(released).containsExactly(1L, 11L);
        assertThat(sequence.missing).isEqualTo(5);
        assertThat(sequence.nextChunk).isEqualTo(16);

        // 6..10 after all, too late: five late chunks, no longer missing
        arriveJoined(6, 5, 400);
        arriveJoined(16, 5, 0);
        // chunk 12 again, inside a joined record already released
        arrive(12, 400);

        assertThat(released).containsExactly(1L, 11L, 16L);
        assertThat(sequence.received).isEqualTo(5 + 5 + 1 + 5 + 5 + 1);
        assertThat(sequence.duplicates).isEqualTo(2);
        assertThat(sequence.late).isEqualTo(5);
        assertThat(sequence.reordered).isZero();
        assertThat(sequence.missing).isZero();
        assertThat(sequence.held).isEmpty();
    }

    @Test
    void aJoinedRecordWhoseChunksWereAllSeenIsADuplicatePerChunk() {
        arriveJoined(1, 5, 0);
        arriveJoined(1, 5, 200);
        arriveJoined(6, 5, 0);

        assertThat(released).containsExactly(1L, 6L);
        assertThat(sequence.received).isEqualTo(15);
        assertThat(sequence.duplicates).isEqualTo(5);
        assertThat(sequence.late).isZero();
    }

    @Test
    void aLateChunkAloneIsPutBackBeforeTheJoinedRecordsAfterIt() {
        // the ingest writes 1..2, then 4..8 when 3 is missing, then 3 alone when it comes
        arriveJoined(1, 2, 0);
        arriveJoined(4, 5, 0);
        arrive(3, 160);

        assertThat(released).containsExactly(1L, 3L, 4L);
        assertThat(sequence.reordered).isEqualTo(1);
        assertThat(sequence.received).isEqualTo(8);
        assertThat(sequence.missing + sequence.duplicates + sequence.late).isZero();
        assertThat(sequence.nextChunk).isEqualTo(9);
    }

    @Test
    void joiningChunksDoesNotReadAsAGapBetweenArrivals() {
        // 100 ms records on time: each arrives 100 ms after the one before it, as its last
        // chunk's successor would
        arriveJoined(1, 5, 0);
        arriveJoined(6, 5, 0);
        arriveJoined(11, 5, 0);
        assertThat(sequence.longestGapMs).isEqualTo(20);
        assertThat(sequence.jitterMs).isZero();

        // the next record 300 ms late: 320 ms after the last chunk of 11..15 was due
        arriveJoined(16, 5, 300);

        assertThat(sequence.longestGapMs).isEqualTo(320);
        assertThat(sequence.jitterMs).isEqualTo(300 / 16.0);
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
