package io.callpulse.job.state;

import java.util.Arrays;

/**
 * Cuts one track's audio into 20 ms analysis frames whatever the size of the chunks it arrives in:
 * the samples of an unfinished frame wait here for the next chunk. Keyed state, so a plain POJO.
 *
 * <p>Only the waiting samples are kept, and nothing when none wait: Plivo's chunks are whole 20 ms
 * frames, so between chunks nothing waits, and a buffer of one frame kept anyway would cost 324
 * bytes per track in every checkpoint. Chunks that split frames pay a small array per chunk.
 */
public class TrackFramer {

    /** Tolerance when checking that a chunk continues the previous one; timestamps are in ms. */
    public static final long CONTINUITY_TOLERANCE_MS = 2;

    /** The samples of the unfinished frame, fewer than a frame; {@code null} when none wait. */
    public short[] pending;

    /** Media time (epoch ms) of the first pending sample. */
    public long pendingStartMs;

    /** Sample rate of the pending samples. */
    public int sampleRate;

    public TrackFramer() {}

    /** Receives each complete frame. */
    public interface FrameSink {
        void frame(long frameStartMs, short[] samples, int offset, int length);
    }

    /** Samples in one 20 ms frame at the given rate. */
    public static int frameSamples(int sampleRate) {
        return sampleRate / 50;
    }

    /** How many samples wait for the next chunk. */
    public int pendingCount() {
        return pending == null ? 0 : pending.length;
    }

    /**
     * Adds a chunk of samples that starts at {@code chunkStartMs} and hands every frame it
     * completes to {@code sink}. A chunk that does not continue the pending samples (a gap, or a
     * jump back, or another rate) drops them: a frame never mixes audio from two places in time.
     */
    public void accept(short[] samples, int count, long chunkStartMs, int rate, FrameSink sink) {
        int frameLength = frameSamples(rate);
        int offset = 0;
        if (pending != null) {
            short[] waiting = pending;
            pending = null;
            long expectedMs = pendingStartMs + (waiting.length * 1000L) / rate;
            if (sampleRate == rate
                    && waiting.length < frameLength
                    && Math.abs(chunkStartMs - expectedMs) <= CONTINUITY_TOLERANCE_MS) {
                int take = Math.min(frameLength - waiting.length, count);
                short[] frame = Arrays.copyOf(waiting, waiting.length + take);
                System.arraycopy(samples, 0, frame, waiting.length, take);
                offset = take;
                if (frame.length < frameLength) {
                    pending = frame;
                    return;
                }
                sink.frame(pendingStartMs, frame, 0, frameLength);
            }
        }
        sampleRate = rate;
        while (count - offset >= frameLength) {
            sink.frame(chunkStartMs + (offset * 1000L) / rate, samples, offset, frameLength);
            offset += frameLength;
        }
        if (count > offset) {
            pending = Arrays.copyOfRange(samples, offset, count);
            pendingStartMs = chunkStartMs + (offset * 1000L) / rate;
        }
    }
}
