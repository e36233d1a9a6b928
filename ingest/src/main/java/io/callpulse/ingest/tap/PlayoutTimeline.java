package io.callpulse.ingest.tap;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What Plivo plays to the caller on a bidirectional stream, modelled from the bot's messages: the
 * audio of each {@code playAudio} is queued and played in real time, back to back, from when it was
 * sent; {@code clearAudio} drops whatever has not played yet.
 *
 * <p>Audio becomes an outbound {@link AudioRecord} only once it has played, so that a later cut can
 * still take back what the caller never heard. Times are epoch milliseconds passed in by the caller
 * (no clock of its own); inside, positions are kept in nanoseconds, which is exact for both of
 * Plivo's rates (a sample lasts 125,000 ns at 8 kHz, 62,500 ns at 16 kHz).
 *
 * <p>Not thread-safe: the owner serialises calls.
 */
public final class PlayoutTimeline {

    private static final long NANOS_PER_MS = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String streamId;
    private final ArrayDeque<Segment> queued = new ArrayDeque<>();
    private final ArrayDeque<PendingCheckpoint> checkpoints = new ArrayDeque<>();
    private long queueEndNs = Long.MIN_VALUE;
    private long releasedUntilNs = Long.MIN_VALUE;
    private long nextChunk = 1;

    /** What a cut released (the audio played before it) and which checkpoints it cancelled. */
    public record Cut(List<AudioRecord> played, List<String> cancelledCheckpoints) {}

    /** One playAudio's audio and how much of it has been released. */
    private static final class Segment {
        final AudioEncoding encoding;
        final int sampleRate;
        final byte[] payload;
        final int sampleCount;
        final long startNs;
        final long receivedAtMs;
        int releasedSamples;

        Segment(
                AudioEncoding encoding,
                int sampleRate,
                byte[] payload,
                long startNs,
                long receivedAtMs) {
            this.encoding = encoding;
            this.sampleRate = sampleRate;
            this.payload = payload;
            this.sampleCount = encoding.sampleCount(payload.length);
            this.startNs = startNs;
            this.receivedAtMs = receivedAtMs;
        }

        long offsetNs(long samples) {
            return startNs + samples * NANOS_PER_SECOND / sampleRate;
        }

        long endNs() {
            return offsetNs(sampleCount);
        }

        /** Samples whose end is at or before {@code nowNs}: those the caller has heard whole. */
        int playedBy(long nowNs) {
            if (nowNs >= endNs()) {
                return sampleCount;
            }
            if (nowNs <= startNs) {
                return 0;
            }
            // below endNs, so the product stays far from overflow
            return (int) ((nowNs - startNs) * sampleRate / NANOS_PER_SECOND);
        }
    }

    private record PendingCheckpoint(String name, long expectedNs) {}

    public PlayoutTimeline(String streamId) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
    }

    /**
     * Queues the audio of one {@code playAudio} sent at {@code sentAtMs}: it starts when the audio
     * queued before it ends, or when it was sent if the queue had drained by then.
     *
     * @param payload the decoded audio, a whole number of samples; kept, not copied
     * @return the epoch ms when it starts playing
     */
    public long enqueue(AudioEncoding encoding, int sampleRate, byte[] payload, long sentAtMs) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate: expected a positive rate");
        }
        Segment segment =
                new Segment(
                        encoding,
                        sampleRate,
                        payload,
                        Math.max(queueEndNs, sentAtMs * NANOS_PER_MS),
                        sentAtMs);
        queueEndNs = segment.endNs();
        if (segment.sampleCount > 0) {
            queued.add(segment);
        }
        return Math.floorDiv(segment.startNs, NANOS_PER_MS);
    }

    /**
     * Notes a checkpoint sent at {@code sentAtMs}. Plivo acknowledges it ({@code playedStream})
     * when everything queued before it has played.
     *
     * @return the epoch ms by which that audio has played: when Plivo should acknowledge it
     */
    public long checkpoint(String name, long sentAtMs) {
        long expectedNs = Math.max(queueEndNs, sentAtMs * NANOS_PER_MS);
        checkpoints.add(new PendingCheckpoint(name, expectedNs));
        return ceilToMs(expectedNs);
    }

    /**
     * The audio played up to {@code nowMs} and not yet released, as outbound records in play order.
     * A segment still playing is split after its last sample heard whole; the rest waits.
     */
    public List<AudioRecord> releaseUntil(long nowMs) {
        long nowNs = nowMs * NANOS_PER_MS;
        List<AudioRecord> released = new ArrayList<>();
        while (!queued.isEmpty()) {
            Segment head = queued.peek();
            int played = head.playedBy(nowNs);
            if (played > head.releasedSamples) {
                released.add(piece(head, head.releasedSamples, played));
                head.releasedSamples = played;
            }
            if (played < head.sampleCount) {
                break;
            }
            queued.poll();
        }
        releasedUntilNs = Math.max(releasedUntilNs, nowNs);
        while (!checkpoints.isEmpty() && checkpoints.peek().expectedNs <= releasedUntilNs) {
            checkpoints.poll();
        }
        return released;
    }

    /**
     * Cuts the playout at {@code nowMs} ({@code clearAudio}, or the stream's end): releases what
     * has played and drops everything queued after it. Audio sent later starts afresh.
     */
    public Cut clear(long nowMs) {
        List<AudioRecord> played = releaseUntil(nowMs);
        queued.clear();
        queueEndNs = releasedUntilNs;
        List<String> cancelled = checkpoints.stream().map(PendingCheckpoint::name).toList();
        checkpoints.clear();
        return new Cut(played, cancelled);
    }

    private AudioRecord piece(Segment segment, int fromSample, int toSample) {
        int bytesPerSample = segment.encoding.bytesPerSample();
        byte[] audio =
                fromSample == 0 && toSample == segment.sampleCount
                        ? segment.payload
                        : Arrays.copyOfRange(
                                segment.payload,
                                fromSample * bytesPerSample,
                                toSample * bytesPerSample);
        return AudioRecord.audio(
                streamId,
                Track.OUTBOUND,
                segment.encoding,
                segment.sampleRate,
                nextChunk++,
                1,
                Math.floorDiv(segment.offsetNs(fromSample), NANOS_PER_MS),
                segment.receivedAtMs,
                audio);
    }

    private static long ceilToMs(long ns) {
        return -Math.floorDiv(-ns, NANOS_PER_MS);
    }
}
