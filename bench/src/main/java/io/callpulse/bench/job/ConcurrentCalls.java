package io.callpulse.bench.job;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.Track;
import io.callpulse.simulator.Conversations;
import io.callpulse.simulator.StreamFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The {@code callpulse.audio} records the ingest writes for a number of two-track calls that run at
 * the same time, in the order it writes them: all calls' records of one 20 ms tick before the next
 * tick's, each call's end-of-stream marker after its last audio.
 *
 * <p>Calls speak in speech-like voices ({@link Conversations}, G.711 mu-law at 8 kHz, as Plivo
 * sends by default); a few distinct conversations are rendered and shared among the calls. Call
 * {@code i} starts {@code (i mod 50) × 20 ms} after the first, so that calls end, and their windows
 * close, at different times, while every record of a tick still carries about the same media time
 * (nothing is late for the job's watermark).
 *
 * <p>Two shapes: one record per 20 ms media message, or {@code chunksPerRecord} consecutive
 * messages joined in one record, as the ingest's batching writes them: the payloads in order,
 * {@code firstChunk} the first message's chunk number (from 1), the media time and receive time of
 * the first message. A call's last record may join fewer.
 */
final class ConcurrentCalls {

    /** Plivo's chunk length. */
    static final int CHUNK_MS = 20;

    static final StreamFormat FORMAT = StreamFormat.MULAW_8K;

    /** Rendering a 60 s conversation takes a while; calls beyond this many repeat one. */
    static final int DISTINCT_CONVERSATIONS = 8;

    /** Start offsets repeat after this many calls (one second of 20 ms ticks). */
    private static final int START_OFFSETS = 1000 / CHUNK_MS;

    private final int calls;
    private final int chunksPerTrack;
    private final int chunksPerRecord;
    private final long startEpochMs;
    private final String[] streamIds;

    /** [conversation][track: inbound, outbound][chunk] the encoded payload of each 20 ms chunk. */
    private final byte[][][][] chunks;

    /**
     * @param calls how many calls
     * @param callSeconds how long each call lasts
     * @param chunksPerRecord 1 for one record per media message, more for joined messages
     * @param startEpochMs the media time of the first call's first sample
     */
    ConcurrentCalls(int calls, int callSeconds, int chunksPerRecord, long startEpochMs) {
        if (calls < 1 || callSeconds < 1 || chunksPerRecord < 1) {
            throw new IllegalArgumentException(
                    "calls, call seconds and chunks per record: expected at least 1 each, found "
                            + calls
                            + ", "
                            + callSeconds
                            + ", "
                            + chunksPerRecord);
        }
        this.calls = calls;
        this.chunksPerTrack = callSeconds * 1000 / CHUNK_MS;
        this.chunksPerRecord = chunksPerRecord;
        this.startEpochMs = startEpochMs;
        this.streamIds = new String[calls];
        for (int i = 0; i < calls; i++) {
            streamIds[i] =
                    UUID.nameUUIDFromBytes(
                                    ("callpulse-bench-call-" + i).getBytes(StandardCharsets.UTF_8))
                            .toString();
        }
        int distinct = Math.min(calls, DISTINCT_CONVERSATIONS);
        this.chunks = new byte[distinct][][][];
        for (int c = 0; c < distinct; c++) {
            Conversations.Conversation conversation =
                    Conversations.generate(
                            FORMAT.sampleRate(),
                            callSeconds * 1000L,
                            Conversations.Voice.SPEECH,
                            c + 1);
            chunks[c] =
                    new byte[][][] {
                        encodeChunks(conversation.caller()), encodeChunks(conversation.agent())
                    };
        }
    }

    private byte[][] encodeChunks(short[] samples) {
        int perChunk = FORMAT.sampleRate() * CHUNK_MS / 1000;
        byte[][] encoded = new byte[chunksPerTrack][];
        for (int i = 0; i < chunksPerTrack; i++) {
            encoded[i] = FORMAT.encode(samples, i * perChunk, perChunk);
        }
        return encoded;
    }

    int calls() {
        return calls;
    }

    String streamId(int call) {
        return streamIds[call];
    }

    /** Audio records per track: the chunks, joined {@code chunksPerRecord} at a time. */
    int recordsPerTrack() {
        return (chunksPerTrack + chunksPerRecord - 1) / chunksPerRecord;
    }

    /** All records, end-of-stream markers included. */
    long recordCount() {
        return (long) calls * (2L * recordsPerTrack() + 1);
    }

    /** Seconds of audio in all tracks of all calls. */
    double trackSeconds() {
        return calls * 2.0 * chunksPerTrack * CHUNK_MS / 1000.0;
    }

    /** Media time of call {@code call}'s first sample. */
    long callStartMs(int call) {
        return startEpochMs + (long) (call % START_OFFSETS) * CHUNK_MS;
    }

    /** Hands every record to {@code write}, in the order the ingest would write them. */
    void forEachRecord(Consumer<AudioRecord> write) {
        int lastTick = (START_OFFSETS - 1) + chunksPerTrack;
        for (int tick = 0; tick <= lastTick; tick++) {
            for (int call = 0; call < calls; call++) {
                // the chunk of this call that has just been received at this tick
                int chunk = tick - call % START_OFFSETS;
                if (chunk < 0 || chunk > chunksPerTrack) {
                    continue;
                }
                if (chunk == chunksPerTrack) {
                    long endMs = callStartMs(call) + (long) chunksPerTrack * CHUNK_MS;
                    write.accept(AudioRecord.endOfStream(streamIds[call], endMs, endMs + CHUNK_MS));
                    continue;
                }
                boolean recordComplete =
                        (chunk + 1) % chunksPerRecord == 0 || chunk == chunksPerTrack - 1;
                if (recordComplete) {
                    int first = chunk - chunk % chunksPerRecord;
                    write.accept(record(call, Track.INBOUND, first, chunk + 1));
                    write.accept(record(call, Track.OUTBOUND, first, chunk + 1));
                }
            }
        }
    }

    /** The record of chunks {@code [first, end)} of one track of one call (from 0). */
    private AudioRecord record(int call, Track track, int first, int end) {
        byte[][] trackChunks = chunks[call % chunks.length][track == Track.INBOUND ? 0 : 1];
        byte[] payload;
        if (end - first == 1) {
            payload = trackChunks[first];
        } else {
            int length = 0;
            for (int i = first; i < end; i++) {
                length += trackChunks[i].length;
            }
            payload = Arrays.copyOf(trackChunks[first], length);
            int at = trackChunks[first].length;
            for (int i = first + 1; i < end; i++) {
                System.arraycopy(trackChunks[i], 0, payload, at, trackChunks[i].length);
                at += trackChunks[i].length;
            }
        }
        long mediaMs = callStartMs(call) + (long) first * CHUNK_MS;
        return AudioRecord.audio(
                streamIds[call],
                track,
                FORMAT.encoding(),
                FORMAT.sampleRate(),
                first + 1L,
                end - first,
                mediaMs,
                // the ingest stamps a record with the arrival of its first message, which
                // arrives once its 20 ms have been spoken
                mediaMs + CHUNK_MS,
                payload);
    }
}
