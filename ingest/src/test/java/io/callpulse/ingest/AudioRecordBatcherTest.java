package io.callpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AudioRecordBatcherTest {

    private static final String STREAM = "s-1";

    /** Media time of chunk 1. */
    private static final long T0 = 1_700_000_000_000L;

    /** When the ingest received chunk 1. */
    private static final long R0 = 1_700_000_000_050L;

    private final CollectingSink sink = new CollectingSink();
    private final IngestMetrics metrics = new IngestMetrics();
    private final AtomicLong clock = new AtomicLong(5_000);

    private AudioRecordBatcher batcher(int batchMs) {
        return AudioRecordBatcher.withManualSweep(sink, batchMs, metrics, clock::get);
    }

    /** 20 ms of mu-law 8 kHz whose every byte is the chunk number, so joins can be checked. */
    private static byte[] payload(long chunk) {
        byte[] bytes = new byte[160];
        java.util.Arrays.fill(bytes, (byte) chunk);
        return bytes;
    }

    private static AudioRecord chunk(Track track, long chunk, long mediaMs) {
        return AudioRecord.audio(
                STREAM,
                track,
                AudioEncoding.MULAW,
                8000,
                chunk,
                1,
                mediaMs,
                R0 + (chunk - 1) * 20,
                payload(chunk));
    }

    /** Chunk {@code n} of the inbound track, where a steady stream puts it. */
    private static AudioRecord chunk(long n) {
        return chunk(Track.INBOUND, n, T0 + (n - 1) * 20);
    }

    /** What the batcher should write for chunks {@code from..from+count-1} of the inbound track. */
    private static AudioRecord joined(long from, int count) {
        byte[] payload = new byte[160 * count];
        for (int i = 0; i < count; i++) {
            java.util.Arrays.fill(payload, 160 * i, 160 * (i + 1), (byte) (from + i));
        }
        return AudioRecord.audio(
                STREAM,
                Track.INBOUND,
                AudioEncoding.MULAW,
                8000,
                from,
                count,
                T0 + (from - 1) * 20,
                R0 + (from - 1) * 20,
                payload);
    }

    private static StreamEvent dtmf(long atMs) {
        return StreamEvent.observed(
                StreamEvent.Types.DTMF, STREAM, "call-1", atMs, atMs, Map.of("dtmf.digit", "5"));
    }

    private long batches(AudioRecordBatcher.Reason reason) {
        return metrics.audioBatchCount(reason.label());
    }

    @Test
    void fiveContiguousChunksBecomeOneRecordWithTheirPayloadsInOrder() {
        AudioRecordBatcher batcher = batcher(100);
        for (long n = 1; n <= 4; n++) {
            batcher.audio(chunk(n));
        }
        assertThat(sink.audio).isEmpty();

        batcher.audio(chunk(5));

        assertThat(sink.audio).containsExactly(joined(1, 5));
        AudioRecord record = sink.audio.get(0);
        assertThat(record.firstChunk()).isEqualTo(1);
        assertThat(record.chunkCount()).isEqualTo(5);
        assertThat(record.mediaTimestampMs()).isEqualTo(T0);
        assertThat(record.receivedAtMs()).isEqualTo(R0);
        assertThat(record.payload()).hasSize(800);
        assertThat(record.payload()[159]).isEqualTo((byte) 1);
        assertThat(record.payload()[160]).isEqualTo((byte) 2);
        assertThat(record.payload()[799]).isEqualTo((byte) 5);
        assertThat(batches(AudioRecordBatcher.Reason.FULL)).isEqualTo(1);
        assertThat(metrics.renderPrometheus())
                .contains("callpulse_ingest_audio_batches_total{reason=\"full\"} 1\n")
                .contains("callpulse_ingest_audio_record_messages_bucket{le=\"4\"} 0\n")
                .contains("callpulse_ingest_audio_record_messages_bucket{le=\"5\"} 1\n")
                .contains("callpulse_ingest_audio_record_messages_sum 5\n")
                .contains("callpulse_ingest_audio_record_messages_count 1\n");
    }

    @Test
    void aMissingChunkEndsTheRecordAndStartsAnother() {
        AudioRecordBatcher batcher = batcher(100);
        for (long n : new long[] {1, 2, 4, 5, 6, 7, 8}) {
            batcher.audio(chunk(n));
        }

        assertThat(sink.audio).containsExactly(joined(1, 2), joined(4, 5));
        assertThat(batches(AudioRecordBatcher.Reason.GAP)).isEqualTo(1);
        assertThat(batches(AudioRecordBatcher.Reason.FULL)).isEqualTo(1);
    }

    @Test
    void aTimestampJumpOrAFormatChangeEndsTheRecordThoughTheChunkIsNext() {
        AudioRecordBatcher batcher = batcher(100);
        batcher.audio(chunk(1));
        batcher.audio(chunk(2));
        // chunk 3 is 3 ms late on the media clock: beyond the 2 ms a rounding could explain
        AudioRecord jumped = chunk(Track.INBOUND, 3, T0 + 43);
        batcher.audio(jumped);
        // within 2 ms of where chunk 3 ends: joins it
        AudioRecord close = chunk(Track.INBOUND, 4, T0 + 65);
        batcher.audio(close);
        AudioRecord otherFormat =
                AudioRecord.audio(
                        STREAM,
                        Track.INBOUND,
                        AudioEncoding.L16,
                        8000,
                        5,
                        1,
                        T0 + 83,
                        R0 + 80,
                        new byte[320]);
        batcher.audio(otherFormat);
        batcher.audio(AudioRecord.endOfStream(STREAM, T0 + 103, R0 + 200));

        byte[] threeAndFour = new byte[320];
        java.util.Arrays.fill(threeAndFour, 0, 160, (byte) 3);
        java.util.Arrays.fill(threeAndFour, 160, 320, (byte) 4);
        assertThat(sink.audio)
                .containsExactly(
                        joined(1, 2),
                        AudioRecord.audio(
                                STREAM,
                                Track.INBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                3,
                                2,
                                T0 + 43,
                                R0 + 40,
                                threeAndFour),
                        otherFormat,
                        AudioRecord.endOfStream(STREAM, T0 + 103, R0 + 200));
        assertThat(batches(AudioRecordBatcher.Reason.GAP)).isEqualTo(2);
        assertThat(batches(AudioRecordBatcher.Reason.END)).isEqualTo(1);
    }

    @Test
    void aDuplicateIsWrittenAloneAndUnchangedAfterWhatWasPending() {
        AudioRecordBatcher batcher = batcher(100);
        batcher.audio(chunk(1));
        batcher.audio(chunk(2));
        batcher.audio(chunk(3));
        AudioRecord duplicate = chunk(2);
        batcher.audio(duplicate);
        for (long n = 4; n <= 8; n++) {
            batcher.audio(chunk(n));
        }
        // a latecomer after the record that covers it was written
        AudioRecord late = chunk(6);
        batcher.audio(late);
        batcher.audio(chunk(9));

        assertThat(sink.audio).containsExactly(joined(1, 3), duplicate, joined(4, 5), late);
        assertThat(sink.audio.get(1)).isSameAs(duplicate);
        assertThat(sink.audio.get(3)).isSameAs(late);
        assertThat(batches(AudioRecordBatcher.Reason.OUT_OF_ORDER)).isEqualTo(3);
        assertThat(batches(AudioRecordBatcher.Reason.FULL)).isEqualTo(1);

        batcher.close();
        assertThat(sink.audio).hasSize(5);
        assertThat(sink.audio.get(4)).isEqualTo(joined(9, 1));
    }

    @Test
    void anEventWritesThePendingAudioFirst() {
        AudioRecordBatcher batcher = batcher(100);
        batcher.audio(chunk(1));
        batcher.audio(chunk(2));
        StreamEvent digit = dtmf(T0 + 45);
        batcher.event(digit);
        batcher.audio(chunk(3));
        batcher.audio(chunk(4));
        AudioRecord end = AudioRecord.endOfStream(STREAM, T0 + 80, R0 + 100);
        batcher.audio(end);
        StreamEvent closed = StreamEvent.closed(STREAM, "call-1", R0 + 100, 1000, "", true);
        batcher.event(closed);

        assertThat(sink.inOrder).containsExactly(joined(1, 2), digit, joined(3, 2), end, closed);
        assertThat(batches(AudioRecordBatcher.Reason.EVENT)).isEqualTo(1);
        assertThat(batches(AudioRecordBatcher.Reason.END)).isEqualTo(1);
        assertThat(batcher.streamsTracked()).isZero();
    }

    @Test
    void anEventOfAnotherStreamOrADeadLetterLeavesThePendingAudio() {
        AudioRecordBatcher batcher = batcher(100);
        batcher.audio(chunk(1));
        StreamEvent other =
                StreamEvent.observed(
                        StreamEvent.Types.DTMF, "s-2", null, T0, R0, Map.of("dtmf.digit", "1"));
        batcher.event(other);
        DeadLetter letter = DeadLetters.of("media.payload: not valid base64", STREAM, R0, "{}");
        batcher.deadLetter(letter);

        assertThat(sink.inOrder).containsExactly(other, letter);
    }

    @Test
    void theSweepWritesAPartialRecordOnceItHasWaitedTheBatch() {
        AudioRecordBatcher batcher = batcher(100);
        batcher.audio(chunk(1));
        batcher.audio(chunk(2));
        clock.addAndGet(99);
        batcher.sweep();
        assertThat(sink.audio).isEmpty();

        clock.addAndGet(1);
        batcher.sweep();

        assertThat(sink.audio).containsExactly(joined(1, 2));
        assertThat(batches(AudioRecordBatcher.Reason.SWEEP)).isEqualTo(1);
        // the next chunk continues where the track was: a record of its own from here
        batcher.audio(chunk(3));
        clock.addAndGet(100);
        batcher.sweep();
        assertThat(sink.audio).containsExactly(joined(1, 2), joined(3, 1));
        // a stream without audio for a minute is forgotten; until then its duplicates are known
        clock.addAndGet(59_899);
        batcher.sweep();
        assertThat(batcher.streamsTracked()).isEqualTo(1);
        AudioRecord duplicate = chunk(2);
        batcher.audio(duplicate);
        assertThat(sink.audio).containsExactly(joined(1, 2), joined(3, 1), duplicate);
        clock.addAndGet(60_000);
        batcher.sweep();
        assertThat(batcher.streamsTracked()).isZero();
        batcher.audio(chunk(4));
        assertThat(batcher.streamsTracked()).isEqualTo(1);
    }

    @Test
    void theSweepThreadWritesAPartialRecordWithoutBeingAsked() throws Exception {
        try (AudioRecordBatcher batcher = AudioRecordBatcher.start(sink, 100, metrics)) {
            batcher.audio(chunk(1));
            batcher.audio(chunk(2));
            CollectingSink.await(
                    () -> !sink.audio.isEmpty(), Duration.ofSeconds(5), "the sweep to write");
            assertThat(sink.audio).containsExactly(joined(1, 2));
            assertThat(batches(AudioRecordBatcher.Reason.SWEEP)).isEqualTo(1);
        }
    }

    /**
     * Worker threads (one per stream and track, as a tap's two sides are) race the sweep thread on
     * a 2 ms batch: every chunk must come out exactly once, in order, its bytes intact.
     */
    @Test
    void concurrentWritersAndTheSweepLoseAndReorderNothing() throws Exception {
        int streams = 3;
        int chunks = 2_000;
        List<Thread> writers = new java.util.ArrayList<>();
        try (AudioRecordBatcher batcher = AudioRecordBatcher.start(sink, 5, metrics)) {
            for (int s = 0; s < streams; s++) {
                for (Track track : Track.values()) {
                    String streamId = "s-" + s;
                    Thread writer =
                            new Thread(
                                    () -> {
                                        for (long n = 1; n <= chunks; n++) {
                                            // 1 ms chunks of 8 bytes: five fill a batch
                                            byte[] payload = new byte[8];
                                            java.util.Arrays.fill(payload, (byte) n);
                                            batcher.audio(
                                                    AudioRecord.audio(
                                                            streamId,
                                                            track,
                                                            AudioEncoding.MULAW,
                                                            8000,
                                                            n,
                                                            1,
                                                            T0 + n - 1,
                                                            R0,
                                                            payload));
                                            if (n % 97 == 0) {
                                                Thread.onSpinWait();
                                            }
                                        }
                                    });
                    writers.add(writer);
                    writer.start();
                }
            }
            for (Thread writer : writers) {
                writer.join(30_000);
            }
        }

        for (int s = 0; s < streams; s++) {
            for (Track track : Track.values()) {
                String streamId = "s-" + s;
                long next = 1;
                for (AudioRecord record : sink.audio) {
                    if (!record.streamId().equals(streamId) || record.track() != track) {
                        continue;
                    }
                    assertThat(record.firstChunk()).isEqualTo(next);
                    assertThat(record.mediaTimestampMs()).isEqualTo(T0 + next - 1);
                    assertThat(record.payload()).hasSize(8 * record.chunkCount());
                    for (int i = 0; i < record.chunkCount(); i++) {
                        assertThat(record.payload()[8 * i]).isEqualTo((byte) (next + i));
                    }
                    next += record.chunkCount();
                }
                assertThat(next).as("%s %s", streamId, track).isEqualTo(chunks + 1L);
            }
        }
        assertThat(metrics.renderPrometheus())
                .contains(
                        "callpulse_ingest_audio_record_messages_sum "
                                + (long) streams * Track.values().length * chunks
                                + "\n");
    }

    @Test
    void tracksAndStreamsAreJoinedApart() {
        AudioRecordBatcher batcher = batcher(40);
        AudioRecord out1 = chunk(Track.OUTBOUND, 1, T0);
        AudioRecord out2 = chunk(Track.OUTBOUND, 2, T0 + 20);
        AudioRecord otherStream =
                AudioRecord.audio(
                        "s-2",
                        Track.INBOUND,
                        AudioEncoding.MULAW,
                        8000,
                        2,
                        1,
                        T0 + 20,
                        R0,
                        payload(2));
        batcher.audio(chunk(1));
        batcher.audio(out1);
        batcher.audio(otherStream);
        batcher.audio(chunk(2));
        batcher.audio(out2);

        byte[] outPayload = new byte[320];
        java.util.Arrays.fill(outPayload, 0, 160, (byte) 1);
        java.util.Arrays.fill(outPayload, 160, 320, (byte) 2);
        assertThat(sink.audio)
                .containsExactly(
                        joined(1, 2),
                        AudioRecord.audio(
                                STREAM,
                                Track.OUTBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                1,
                                2,
                                T0,
                                R0,
                                outPayload));
        batcher.close();
        assertThat(sink.audio).hasSize(3);
        assertThat(sink.audio.get(2)).isSameAs(otherStream);
        assertThat(batches(AudioRecordBatcher.Reason.SHUTDOWN)).isEqualTo(1);
    }

    @Test
    void aMessageAsLongAsTheBatchIsWrittenAtOnce() {
        AudioRecordBatcher batcher = batcher(100);
        AudioRecord long120ms =
                AudioRecord.audio(
                        STREAM,
                        Track.INBOUND,
                        AudioEncoding.MULAW,
                        8000,
                        1,
                        1,
                        T0,
                        R0,
                        new byte[960]);
        batcher.audio(long120ms);

        assertThat(sink.audio).containsExactly(long120ms);
        assertThat(batches(AudioRecordBatcher.Reason.FULL)).isEqualTo(1);
    }

    @Test
    void closeWritesWhatIsPendingAndLaterAudioPassesStraightOn() {
        AudioRecordBatcher batcher = batcher(100);
        batcher.audio(chunk(1));
        batcher.audio(chunk(2));
        batcher.close();
        assertThat(sink.audio).containsExactly(joined(1, 2));

        AudioRecord after = chunk(3);
        batcher.audio(after);

        assertThat(sink.audio).containsExactly(joined(1, 2), after);
        assertThat(batches(AudioRecordBatcher.Reason.SHUTDOWN)).isEqualTo(1);
        assertThat(batcher.streamsTracked()).isZero();
    }

    @Test
    void zeroPassesEveryRecordOnAsItCame() {
        AudioRecordBatcher batcher = batcher(0);
        List<AudioRecord> sent =
                List.of(
                        chunk(1),
                        chunk(2),
                        chunk(3),
                        chunk(2),
                        chunk(5),
                        AudioRecord.endOfStream(STREAM, T0 + 100, R0 + 100));
        sent.forEach(batcher::audio);
        batcher.sweep();

        assertThat(sink.audio).hasSize(6);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sink.audio.get(i)).isSameAs(sent.get(i));
        }
        assertThat(batcher.streamsTracked()).isZero();
        assertThat(metrics.renderPrometheus())
                .contains("callpulse_ingest_audio_record_messages_count 0\n");
    }

    @Test
    void theSettingAcceptsZeroToOneSecondAndNamesItselfOtherwise() {
        assertThat(AudioRecordBatcher.parseBatchMs(null)).isEqualTo(100);
        assertThat(AudioRecordBatcher.parseBatchMs(" ")).isEqualTo(100);
        assertThat(AudioRecordBatcher.parseBatchMs("0")).isZero();
        assertThat(AudioRecordBatcher.parseBatchMs(" 1000 ")).isEqualTo(1000);
        assertThatThrownBy(() -> AudioRecordBatcher.parseBatchMs("1001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "callpulse.ingest.audio.batch.ms: expected whole milliseconds from 0 (no"
                                + " batching) to 1000, found 1001");
        assertThatThrownBy(() -> AudioRecordBatcher.parseBatchMs("-1"))
                .hasMessageEndingWith("to 1000, found -1");
        assertThatThrownBy(() -> AudioRecordBatcher.parseBatchMs("100ms"))
                .hasMessageEndingWith("to 1000, found '100ms'");
        assertThatThrownBy(() -> AudioRecordBatcher.start(sink, 5000, metrics))
                .hasMessageEndingWith("to 1000, found 5000");
    }

    @Test
    void theConfigurationReadsTheSetting() {
        String key = AudioRecordBatcher.SETTING;
        try {
            System.setProperty(key, "250");
            assertThat(IngestConfig.fromEnvironment().audioBatchMs()).isEqualTo(250);
            System.setProperty(key, "2000");
            assertThatThrownBy(IngestConfig::fromEnvironment)
                    .hasMessageStartingWith("callpulse.ingest.audio.batch.ms: expected");
        } finally {
            System.clearProperty(key);
        }
        assertThat(IngestConfig.local("127.0.0.1", 0, 0, "localhost:9092", null).audioBatchMs())
                .isEqualTo(100);
    }
}
