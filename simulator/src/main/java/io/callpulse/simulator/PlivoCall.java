package io.callpulse.simulator;

import java.util.Objects;

/**
 * One call as Plivo would stream it.
 *
 * @param streamId the StreamID Plivo would assign
 * @param callId the call's CallUUID
 * @param format the stream's audio format
 * @param inbound the caller's audio, or {@code null} for a stream without this track
 * @param outbound the agent's audio, or {@code null} for a stream without this track
 * @param extraHeaders the {@code extraHeaders} attribute, or {@code null}
 */
public record PlivoCall(
        String streamId,
        String callId,
        StreamFormat format,
        short[] inbound,
        short[] outbound,
        String extraHeaders) {

    public PlivoCall {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(format, "format");
        if (inbound == null && outbound == null) {
            throw new IllegalArgumentException("a call needs at least one track");
        }
    }

    /** Samples in one 20 ms media message. */
    public int samplesPerMessage() {
        return format.sampleRate() / 50;
    }

    /** Number of 20 ms media messages of the longer track. */
    public int messageCount() {
        int longest = Math.max(length(inbound), length(outbound));
        return (longest + samplesPerMessage() - 1) / samplesPerMessage();
    }

    private static int length(short[] track) {
        return track == null ? 0 : track.length;
    }
}
