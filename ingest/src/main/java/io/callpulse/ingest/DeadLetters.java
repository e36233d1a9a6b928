package io.callpulse.ingest;

import io.callpulse.records.DeadLetter;

/** The dead letters the ingest writes: one stage name for all of them. */
public final class DeadLetters {

    /** The {@link DeadLetter#stage()} of everything the ingest refuses. */
    public static final String STAGE = "ingest";

    /**
     * The most of the input a dead letter keeps, in UTF-8 bytes: with the reason and the JSON
     * around it, a dead letter stays well below Kafka's default 1 MB request size, where a whole 1
     * MB binary frame (1.4 MB in base64) would be refused and lost.
     */
    public static final int MAX_RAW_BYTES = 256 * 1024;

    private DeadLetters() {}

    /**
     * @param reason the field at fault, a colon, then what was expected and found
     * @param streamId the StreamID when known, else {@code null}
     * @param raw the input as received, or {@code null} when none was kept; above {@link
     *     #MAX_RAW_BYTES} only its start is kept, and the reason says so
     */
    public static DeadLetter of(String reason, String streamId, long atMs, String raw) {
        if (raw != null) {
            int rawBytes = Utf8.length(raw);
            if (rawBytes > MAX_RAW_BYTES) {
                String kept = raw.substring(0, Utf8.charsWithin(raw, MAX_RAW_BYTES));
                return new DeadLetter(
                        STAGE,
                        reason
                                + "; raw truncated to "
                                + Utf8.length(kept)
                                + " of "
                                + rawBytes
                                + " bytes",
                        streamId,
                        atMs,
                        kept);
            }
        }
        return new DeadLetter(STAGE, reason, streamId, atMs, raw);
    }
}
