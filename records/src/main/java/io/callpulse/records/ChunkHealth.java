package io.callpulse.records;

/**
 * How one track's chunks arrived. Counts are of what was noticed during the window (or the call, in
 * a summary); jitter is the running estimate at its end.
 *
 * @param received chunks received (duplicates included)
 * @param missing chunk numbers skipped and never received in time
 * @param duplicates chunk numbers received again: dropped
 * @param reordered chunks that arrived after a later one and were put back in order
 * @param late chunks that arrived after their place (or their window) was given up: dropped
 * @param jitterMs RFC 3550 interarrival jitter of media time against ingest receive time, in ms
 * @param longestGapMs the longest time between two arrivals, in ms
 */
public record ChunkHealth(
        long received,
        long missing,
        long duplicates,
        long reordered,
        long late,
        double jitterMs,
        long longestGapMs) {}
