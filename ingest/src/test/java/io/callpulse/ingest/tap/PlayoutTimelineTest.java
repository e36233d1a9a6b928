package io.callpulse.ingest.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlayoutTimelineTest {

    private static final long T0 = 1_705_312_200_000L;
    private static final String STREAM = "stream-1";

    private final PlayoutTimeline timeline = new PlayoutTimeline(STREAM);

    /** Distinct bytes, so that a wrong slice shows. */
    private static byte[] audio(int bytes, int seed) {
        byte[] audio = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            audio[i] = (byte) (seed + i * 7);
        }
        return audio;
    }

    private static AudioRecord outbound(
            AudioEncoding encoding,
            int sampleRate,
            long chunk,
            long mediaTimestampMs,
            long receivedAtMs,
            byte[] payload) {
        return AudioRecord.audio(
                STREAM,
                Track.OUTBOUND,
                encoding,
                sampleRate,
                chunk,
                1,
                mediaTimestampMs,
                receivedAtMs,
                payload);
    }

    @Test
    void segmentsSentWhilePlayingAreQueuedBackToBack() {
        byte[] first = audio(160, 1);
        byte[] second = audio(160, 2);
        assertThat(timeline.enqueue(AudioEncoding.MULAW, 8000, first, T0)).isEqualTo(T0);
        assertThat(timeline.enqueue(AudioEncoding.MULAW, 8000, second, T0 + 5)).isEqualTo(T0 + 20);

        assertThat(timeline.releaseUntil(T0 + 40))
                .containsExactly(
                        outbound(AudioEncoding.MULAW, 8000, 1, T0, T0, first),
                        outbound(AudioEncoding.MULAW, 8000, 2, T0 + 20, T0 + 5, second));
    }

    @Test
    void aSegmentSentAfterTheQueueDrainedStartsWhenSent() {
        byte[] first = audio(160, 1);
        byte[] second = audio(160, 2);
        timeline.enqueue(AudioEncoding.MULAW, 8000, first, T0);
        assertThat(timeline.enqueue(AudioEncoding.MULAW, 8000, second, T0 + 50)).isEqualTo(T0 + 50);

        assertThat(timeline.releaseUntil(T0 + 100))
                .containsExactly(
                        outbound(AudioEncoding.MULAW, 8000, 1, T0, T0, first),
                        outbound(AudioEncoding.MULAW, 8000, 2, T0 + 50, T0 + 50, second));
    }

    @Test
    void nothingIsReleasedBeforeItHasPlayed() {
        timeline.enqueue(AudioEncoding.MULAW, 8000, audio(160, 1), T0 + 10);

        assertThat(timeline.releaseUntil(T0 + 10)).isEmpty();
    }

    @Test
    void aSegmentStillPlayingIsSplitAtNowAndTheRestWaits() {
        byte[] payload = audio(800, 3); // 100 ms of mu-law
        timeline.enqueue(AudioEncoding.MULAW, 8000, payload, T0);

        assertThat(timeline.releaseUntil(T0 + 30))
                .containsExactly(
                        outbound(
                                AudioEncoding.MULAW,
                                8000,
                                1,
                                T0,
                                T0,
                                Arrays.copyOfRange(payload, 0, 240)));
        assertThat(timeline.releaseUntil(T0 + 30)).isEmpty();
        assertThat(timeline.releaseUntil(T0 + 100))
                .containsExactly(
                        outbound(
                                AudioEncoding.MULAW,
                                8000,
                                2,
                                T0 + 30,
                                T0,
                                Arrays.copyOfRange(payload, 240, 800)));
    }

    @Test
    void clearAudioReleasesExactlyThePlayedSamplesAndDropsTheRest() {
        byte[] long1s = audio(8000, 4);
        timeline.enqueue(AudioEncoding.MULAW, 8000, long1s, T0);
        timeline.enqueue(AudioEncoding.MULAW, 8000, audio(160, 5), T0 + 1);
        timeline.checkpoint("after-both", T0 + 2);

        PlayoutTimeline.Cut cut = timeline.clear(T0 + 250);

        assertThat(cut.played())
                .containsExactly(
                        outbound(
                                AudioEncoding.MULAW,
                                8000,
                                1,
                                T0,
                                T0,
                                Arrays.copyOfRange(long1s, 0, 2000)));
        assertThat(cut.played().get(0).sampleCount()).isEqualTo(2000);
        assertThat(cut.cancelledCheckpoints()).containsExactly("after-both");
        assertThat(timeline.releaseUntil(T0 + 5_000)).isEmpty();
    }

    @Test
    void audioSentAfterACutStartsWhenSentNotWhereTheDroppedQueueEnded() {
        timeline.enqueue(AudioEncoding.MULAW, 8000, audio(8000, 4), T0);
        timeline.clear(T0 + 250);
        byte[] next = audio(160, 6);

        assertThat(timeline.enqueue(AudioEncoding.MULAW, 8000, next, T0 + 300)).isEqualTo(T0 + 300);
        assertThat(timeline.releaseUntil(T0 + 320))
                .containsExactly(outbound(AudioEncoding.MULAW, 8000, 2, T0 + 300, T0 + 300, next));
    }

    @Test
    void l16At16kHzLastsHalfAsLongPerSampleAsMuLawAt8kHz() {
        // 20 ms each: 640 bytes of L16 at 16 kHz, 320 of L16 at 8 kHz, 160 of mu-law at 8 kHz
        assertThat(timeline.enqueue(AudioEncoding.L16, 16000, audio(640, 1), T0)).isEqualTo(T0);
        assertThat(timeline.enqueue(AudioEncoding.L16, 8000, audio(320, 2), T0)).isEqualTo(T0 + 20);
        assertThat(timeline.enqueue(AudioEncoding.MULAW, 8000, audio(160, 3), T0))
                .isEqualTo(T0 + 40);
        assertThat(timeline.checkpoint("end", T0)).isEqualTo(T0 + 60);

        List<AudioRecord> firstTenMs = timeline.releaseUntil(T0 + 10);
        assertThat(firstTenMs).hasSize(1);
        assertThat(firstTenMs.get(0).sampleCount()).isEqualTo(160);
        assertThat(firstTenMs.get(0).payload()).hasSize(320);
        assertThat(timeline.releaseUntil(T0 + 60))
                .extracting(
                        AudioRecord::encoding,
                        AudioRecord::sampleRate,
                        AudioRecord::firstChunk,
                        AudioRecord::mediaTimestampMs,
                        AudioRecord::sampleCount)
                .containsExactly(
                        tuple(AudioEncoding.L16, 16000, 2L, T0 + 10, 160),
                        tuple(AudioEncoding.L16, 8000, 3L, T0 + 20, 160),
                        tuple(AudioEncoding.MULAW, 8000, 4L, T0 + 40, 160));
    }

    @Test
    void aCheckpointOnAnEmptyQueueIsDueWhenSent() {
        assertThat(timeline.checkpoint("now", T0 + 7)).isEqualTo(T0 + 7);
        timeline.releaseUntil(T0 + 7);

        assertThat(timeline.clear(T0 + 7).cancelledCheckpoints()).isEmpty();
    }

    @Test
    void aCheckpointIsDueWhenTheAudioBeforeItHasPlayedRoundedUpToTheMillisecond() {
        timeline.enqueue(AudioEncoding.MULAW, 8000, audio(100, 1), T0); // 12.5 ms

        assertThat(timeline.checkpoint("c", T0 + 1)).isEqualTo(T0 + 13);
        // at 12 ms, 96 samples have played and the checkpoint is still pending
        PlayoutTimeline.Cut cut = timeline.clear(T0 + 12);
        assertThat(cut.played()).extracting(AudioRecord::sampleCount).containsExactly(96);
        assertThat(cut.cancelledCheckpoints()).containsExactly("c");
    }

    @Test
    void aCheckpointReachedBeforeTheCutIsNotCancelled() {
        timeline.enqueue(AudioEncoding.MULAW, 8000, audio(160, 1), T0);
        timeline.checkpoint("first", T0);
        timeline.enqueue(AudioEncoding.MULAW, 8000, audio(160, 2), T0);
        timeline.checkpoint("second", T0);

        PlayoutTimeline.Cut cut = timeline.clear(T0 + 30);

        assertThat(cut.cancelledCheckpoints()).containsExactly("second");
        assertThat(cut.played()).extracting(AudioRecord::sampleCount).containsExactly(160, 80);
    }

    @Test
    void aSegmentStartingBetweenMillisecondsIsStampedWithTheMillisecondItStartsIn() {
        timeline.enqueue(AudioEncoding.MULAW, 8000, audio(100, 1), T0); // ends at 12.5 ms

        assertThat(timeline.enqueue(AudioEncoding.MULAW, 8000, audio(160, 2), T0))
                .isEqualTo(T0 + 12);
        assertThat(timeline.releaseUntil(T0 + 33))
                .extracting(AudioRecord::mediaTimestampMs, AudioRecord::sampleCount)
                .containsExactly(tuple(T0, 100), tuple(T0 + 12, 160));
    }

    @Test
    void emptyAudioTakesNoTimeAndMakesNoRecord() {
        timeline.enqueue(AudioEncoding.MULAW, 8000, new byte[0], T0);
        byte[] next = audio(160, 1);

        assertThat(timeline.enqueue(AudioEncoding.MULAW, 8000, next, T0)).isEqualTo(T0);
        assertThat(timeline.releaseUntil(T0 + 20))
                .containsExactly(outbound(AudioEncoding.MULAW, 8000, 1, T0, T0, next));
    }
}
