package io.callpulse.records;

import io.callpulse.udf.codec.AudioEncoding;
import java.util.Arrays;
import java.util.Objects;

/**
 * One value of the {@code callpulse.audio} topic: consecutive audio of one track of one stream, or
 * the marker that the stream has ended.
 *
 * <p>The ingest writes the end-of-stream marker to the same partition as the stream's audio, after
 * its last audio record, so a reader knows that no more audio of the stream follows without waiting
 * on a clock. The binary layout is {@link AudioRecordCodec}'s.
 *
 * @param streamId Plivo's StreamID; on the wire it is the record key, not part of the value
 * @param endOfStream true for the end-of-stream marker, which carries no audio
 * @param track the track of the audio, {@code null} on the marker
 * @param encoding the sample encoding, {@code null} on the marker
 * @param sampleRate samples per second, 0 on the marker
 * @param firstChunk Plivo's {@code chunk} number of the first media message in this record
 * @param chunkCount how many media messages this record joins (their payloads in order)
 * @param mediaTimestampMs epoch ms of the first sample, from the media message, normalised
 * @param receivedAtMs epoch ms when the ingest received the first media message (on the marker:
 *     when the socket closed)
 * @param payload the raw audio bytes in {@code encoding}, empty on the marker
 */
public record AudioRecord(
        String streamId,
        boolean endOfStream,
        Track track,
        AudioEncoding encoding,
        int sampleRate,
        long firstChunk,
        int chunkCount,
        long mediaTimestampMs,
        long receivedAtMs,
        byte[] payload) {

    private static final byte[] NO_AUDIO = new byte[0];

    public AudioRecord {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(payload, "payload");
    }

    /** Audio of one media message (or several joined). */
    public static AudioRecord audio(
            String streamId,
            Track track,
            AudioEncoding encoding,
            int sampleRate,
            long firstChunk,
            int chunkCount,
            long mediaTimestampMs,
            long receivedAtMs,
            byte[] payload) {
        return new AudioRecord(
                streamId,
                false,
                Objects.requireNonNull(track, "track"),
                Objects.requireNonNull(encoding, "encoding"),
                sampleRate,
                firstChunk,
                chunkCount,
                mediaTimestampMs,
                receivedAtMs,
                payload);
    }

    /** The marker written once the stream's socket has closed. */
    public static AudioRecord endOfStream(
            String streamId, long lastMediaTimestampMs, long closedAtMs) {
        return new AudioRecord(
                streamId, true, null, null, 0, 0, 0, lastMediaTimestampMs, closedAtMs, NO_AUDIO);
    }

    /** Number of samples in the payload. */
    public int sampleCount() {
        return encoding == null ? 0 : encoding.sampleCount(payload.length);
    }

    /** Duration of the payload in milliseconds (fractional). */
    public double durationMs() {
        return sampleRate == 0 ? 0.0 : sampleCount() * 1000.0 / sampleRate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioRecord other
                && endOfStream == other.endOfStream
                && sampleRate == other.sampleRate
                && firstChunk == other.firstChunk
                && chunkCount == other.chunkCount
                && mediaTimestampMs == other.mediaTimestampMs
                && receivedAtMs == other.receivedAtMs
                && streamId.equals(other.streamId)
                && track == other.track
                && encoding == other.encoding
                && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, endOfStream, track, firstChunk, mediaTimestampMs)
                + 31 * Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return endOfStream
                ? "AudioRecord[" + streamId + " end of stream at " + receivedAtMs + "]"
                : "AudioRecord["
                        + streamId
                        + " "
                        + track.wireName()
                        + " "
                        + encoding.mimeType()
                        + "@"
                        + sampleRate
                        + " chunk "
                        + firstChunk
                        + "+"
                        + chunkCount
                        + " t="
                        + mediaTimestampMs
                        + " "
                        + payload.length
                        + " bytes]";
    }
}
