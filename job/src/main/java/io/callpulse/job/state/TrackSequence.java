package io.callpulse.job.state;

import io.callpulse.records.AudioRecord;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One track's chunk order and arrival health. Records are released in {@code chunk} order through a
 * small reorder buffer; what is missing, duplicated, reordered or too late is counted, with RFC
 * 3550 interarrival jitter and the longest gap between arrivals.
 *
 * <p>The ingest joins a track's consecutive media messages into one record (chunks {@code
 * firstChunk} to {@code firstChunk + chunkCount - 1}), so every count here is of chunks, each chunk
 * of a record counted on its own:
 *
 * <ul>
 *   <li>received: every chunk of every record, duplicates included;
 *   <li>reordered: arrived after a later chunk, still in time to be put back in order;
 *   <li>duplicate: a chunk number seen before (among the last 64): a record all of whose chunks
 *       were seen is dropped; one with new chunks too is kept whole;
 *   <li>missing: skipped when the buffer had to move on (it was full, or its window closed);
 *   <li>late: arrived after its place was given up: counted, dropped, and no longer missing.
 * </ul>
 *
 * <p>A record is placed by its first chunk. The buffer holds {@code capacity} records, whatever
 * their length: with the ingest's 100 ms records, 5 records are 500 ms of audio. Keyed state, so a
 * POJO.
 */
public class TrackSequence {

    /**
     * Records held waiting for a missing one: 100 ms of Plivo's 20 ms chunks written one per
     * record, 500 ms of the ingest's 100 ms records.
     */
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

    /**
     * Of the chunks the record being taken sees for the first time, those behind a later chunk:
     * reordered if the record is put back in order, late if not. Only meaningful during {@link
     * #accept}; transient, so not part of the state.
     */
    private transient int outOfOrderSightings;

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
        int chunks = chunksOf(record);
        received += chunks;
        measureArrival(record, chunks);
        long chunk = record.firstChunk();
        int firstSightings = markSeen(chunk, chunks);
        if (firstSightings == 0) {
            return;
        }
        if (nextChunk < 0) {
            // Plivo counts chunks from 1: if the first to arrive is among the first few, the
            // ones before it may still come
            nextChunk = chunk <= capacity ? 1 : chunk;
        }
        if (chunk < nextChunk) {
            // its place was given up: the chunks it brings are no longer missing, but late
            late += firstSightings;
            missing = Math.max(0, missing - firstSightings);
            return;
        }
        reordered += outOfOrderSightings;
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

    /** The chunks a record joins; a record of an older ingest may say 0, meaning one. */
    private static int chunksOf(AudioRecord record) {
        return Math.max(1, record.chunkCount());
    }

    /**
     * A record stands for its chunks' arrivals by its first one's: the ingest keeps only that
     * receive time. Jitter is thus updated once per record. The gap to the next record is taken
     * from where this record's last chunk would have arrived on time (its first chunk's arrival
     * plus the audio before its last chunk), so joining chunks does not read as a gap.
     */
    private void measureArrival(AudioRecord record, int chunks) {
        long arrival = record.receivedAtMs();
        long media = record.mediaTimestampMs();
        if (lastArrivalMs >= 0) {
            long gap = arrival - lastArrivalMs;
            longestGapMs = Math.max(longestGapMs, gap);
            longestGapSinceReportMs = Math.max(longestGapSinceReportMs, gap);
            long transitChange = (arrival - lastArrivalMs) - (media - lastMediaMs);
            jitterMs += (Math.abs(transitChange) - jitterMs) / 16.0;
        }
        // the last chunk's expected arrival: the audio of the chunks before it later
        double beforeLastChunkMs = record.durationMs() * (chunks - 1) / chunks;
        lastArrivalMs = arrival + Math.round(beforeLastChunkMs);
        lastMediaMs = media + Math.round(beforeLastChunkMs);
    }

    /**
     * Marks chunks {@code first} to {@code first + count - 1} seen, counting each one seen before
     * as a duplicate and each too old to tell as late.
     *
     * @return how many of them are seen for the first time
     */
    private int markSeen(long first, int count) {
        outOfOrderSightings = 0;
        int firstSightings = 0;
        for (long chunk = first; chunk < first + count; chunk++) {
            if (firstSighting(chunk)) {
                firstSightings++;
            }
        }
        return firstSightings;
    }

    /** False for a duplicate or a chunk too old to tell (both counted). */
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
        outOfOrderSightings++;
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
