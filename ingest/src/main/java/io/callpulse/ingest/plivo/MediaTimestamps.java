package io.callpulse.ingest.plivo;

/**
 * Plivo's {@code media.timestamp} is epoch milliseconds per its reference, but milliseconds since
 * the stream started per its Python SDK. Both are accepted: a value below {@link
 * #RELATIVE_BELOW_MS} cannot be a real epoch time of a live call and is read as relative to the
 * stream's start.
 */
public final class MediaTimestamps {

    /** 2001-09-09T01:46:40Z; a stream lasts at most 24 h, far below this in relative terms. */
    public static final long RELATIVE_BELOW_MS = 1_000_000_000_000L;

    private MediaTimestamps() {}

    /** Epoch ms of a media timestamp, given the epoch ms at which the stream started. */
    public static long toEpochMs(long timestampMs, long streamStartEpochMs) {
        return timestampMs < RELATIVE_BELOW_MS ? streamStartEpochMs + timestampMs : timestampMs;
    }
}
