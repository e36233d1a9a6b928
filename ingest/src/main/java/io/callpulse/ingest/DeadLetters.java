package io.callpulse.ingest;

import io.callpulse.records.DeadLetter;

/** The dead letters the ingest writes: one stage name for all of them. */
public final class DeadLetters {

    /** The {@link DeadLetter#stage()} of everything the ingest refuses. */
    public static final String STAGE = "ingest";

    private DeadLetters() {}

    /**
     * @param reason the field at fault, a colon, then what was expected and found
     * @param streamId the StreamID when known, else {@code null}
     * @param raw the input as received, or {@code null} when none was kept
     */
    public static DeadLetter of(String reason, String streamId, long atMs, String raw) {
        return new DeadLetter(STAGE, reason, streamId, atMs, raw);
    }
}
