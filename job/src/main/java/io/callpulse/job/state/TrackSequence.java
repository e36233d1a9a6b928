package io.callpulse.job.state;

import io.callpulse.records.AudioRecord;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One track's chunk order and arrival health. Records are released in {@code chunk} order through a
 * small reorder buffer; what is missing, duplicated, reordered or too late is counted, with RFC
 * 3550 interarrival jitter and the longest gap between arrivals.
 *
 * <ul>
 *   <li>reordered: arrived after a later chunk, still in time to be put back in order;
 *   <li>duplicate: a chunk number seen before (among the last 64): dropped;
 *   <li>missing: skipped when the buffer had to move on (it was full, or its window closed);
 *   <li>late: arrived after its place was given up: counted, dropped, and no longer missing.
 * </ul>
 *
 * <p>A record joining several chunks is placed by its first chunk. Keyed state, so a POJO.
 */
public class TrackSequence {

    /** Chunks held waiting for a missing one: 100 ms of Plivo's 20 ms chunks. */
    public static final int DEFAULT_CAPACITY = 5;

    private static final int DUPLICATE_MEMORY = 64;

    /** The next chunk number to release; -1 before the first record. */
    public long nextChunk = -1;

    /** Records waiting for an earlier chunk, in chunk order. */
    public AudioRecord[] held = new AudioRecord[0];

    public long highestChunkSeen = -1;

    /** Bit {@code i}: chunk {@code highestChunkSeen - i} was seen. */
    public long seenMask;

    public long received;
    public long missing;
    public long duplicates;
    public long reordered;
    public long late;

    /** RFC 3550 interarrival jitter, in ms. */
    public double jitterMs;

    public long lastArrivalMs = -1;
    public long lastMediaMs;
    public long longestGapMs;

    /** The longest gap since the analyzer last reported it (it resets this). */
    public long longestGapSinceReportMs;

    public TrackSequence() {}

    /** Takes one arriving record and releases, in chunk order, what is ready. */
    public void accept(AudioRecord record, int capacity, Consumer<AudioRecord> release) {
        received++;
        measureArrival(record);
        long chunk = record.firstChunk();
        if (!firstSighting(chunk)) {
            return;
        }
        if (nextChunk < 0) {
            // Plivo counts chunks from 1: if the first to arrive is among the first few, the
            // ones before it may still come
            nextChunk = chunk <= capacity ? 1 : chunk;
        }
        if (chunk < nextChunk) {
            late++;
            missing = Math.max(0, missing - 1);
            return;
        }
        insert(record);
        // in order, or forced on by a full buffer (after which the rest may be in order again)
        while (held.length > 0 && (held[0].firstChunk() == nextChunk || held.length > capacity)) {
            releaseFirst(release);
        }
    }

    /** Releases every held record whose audio starts before {@code mediaTimeMs}. */
    public void releaseBefore(long mediaTimeMs, Consumer<AudioRecord> release) {
        while (held.length > 0 && held[0].mediaTimestampMs() < mediaTimeMs) {
            releaseFirst(release);
        }
    }

    public void releaseAll(Consumer<AudioRecord> release) {
        while (held.length > 0) {
            releaseFirst(release);
        }
    }

    private void measureArrival(AudioRecord record) {
        long arrival = record.receivedAtMs();
        long media = record.mediaTimestampMs();
        if (lastArrivalMs >= 0) {
            longestGapMs = Math.max(longestGapMs, arrival - lastArrivalMs);
            longestGapSinceReportMs = Math.max(longestGapSinceReportMs, arrival - lastArrivalMs);
            long transitChange = (arrival - lastArrivalMs) - (media - lastMediaMs);
            jitterMs += (Math.abs(transitChange) - jitterMs) / 16.0;
        }
        lastArrivalMs = arrival;
        lastMediaMs = media;
    }

    /** False for a duplicate or a chunk too old to tell (both counted and dropped). */
    private boolean firstSighting(long chunk) {
        if (highestChunkSeen < 0 || chunk > highestChunkSeen) {
            long shift = highestChunkSeen < 0 ? DUPLICATE_MEMORY : chunk - highestChunkSeen;
            seenMask = (shift >= DUPLICATE_MEMORY ? 0 : seenMask << shift) | 1L;
            highestChunkSeen = chunk;
            return true;
        }
        long age = highestChunkSeen - chunk;
        if (age >= DUPLICATE_MEMORY) {
            late++;
            return false;
        }
        if ((seenMask >>> age & 1L) != 0) {
            duplicates++;
            return false;
        }
        seenMask |= 1L << age;
        reordered++;
        return true;
    }

    private void insert(AudioRecord record) {
        int at = held.length;
        while (at > 0 && held[at - 1].firstChunk() > record.firstChunk()) {
            at--;
        }
        AudioRecord[] more = new AudioRecord[held.length + 1];
        System.arraycopy(held, 0, more, 0, at);
        more[at] = record;
        System.arraycopy(held, at, more, at + 1, held.length - at);
        held = more;
    }

    private void releaseFirst(Consumer<AudioRecord> release) {
        AudioRecord first = held[0];
        held = Arrays.copyOfRange(held, 1, held.length);
        missing += Math.max(0, first.firstChunk() - nextChunk);
        nextChunk = first.firstChunk() + Math.max(1, first.chunkCount());
        release.accept(first);
    }
}
