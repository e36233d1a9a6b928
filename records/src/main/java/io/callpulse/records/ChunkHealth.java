package io.callpulse.records;

/**
 * How one track's chunks arrived. Counts are of what was noticed during the window (or the call, in
 * a summary); jitter is the running estimate at its end.
 *
 * <p>Every count is of chunks (the provider's media messages), not of audio records: a record the
 * ingest joined from several chunks counts each of them ({@link AudioRecord#chunkCount()}).
 *
 * @param received chunks received (duplicates included)
 * @param missing chunk numbers skipped and never received in time
 * @param duplicates chunk numbers received again: dropped
 * @param reordered chunks that arrived after a later one and were put back in order
 * @param late chunks that arrived after their place (or their window) was given up: dropped
 * @param jitterMs RFC 3550 interarrival jitter of media time against ingest receive time, in ms,
 *     updated once per record (a joined record arrives when its first chunk did)
 * @param longestGapMs the longest time between two arrivals, in ms; after a joined record, from
 *     when its last chunk was due
 */
public record ChunkHealth(
        long received,
        long missing,
        long duplicates,
        long reordered,
        long late,
        double jitterMs,
        long longestGapMs) {}
