package io.callpulse.records;

/**
 * One value of the {@code callpulse.deadletter} topic (JSON): input that could not be used, kept
 * whole with the reason, so nothing accepted is lost silently.
 *
 * @param stage where it was refused: {@code ingest} or {@code job}
 * @param reason what is wrong: the field and what was expected
 * @param streamId the StreamID if it is known
 * @param receivedAtMs epoch ms when it was refused
 * @param raw the input as received (a text message, or base64 of binary input)
 */
public record DeadLetter(
        String stage, String reason, String streamId, long receivedAtMs, String raw) {}
