package io.callpulse.job.state;

/**
 * Cuts one track's audio into 20 ms analysis frames whatever the size of the chunks it arrives in:
 * the samples of an unfinished frame wait here for the next chunk. Keyed state, so a plain POJO.
 */
public class TrackFramer {

    /** Tolerance when checking that a chunk continues the previous one; timestamps are in ms. */
    public static final long CONTINUITY_TOLERANCE_MS = 2;

    /** Samples of the unfinished frame; its length is one frame. */
    public short[] pending;

    /** How many of {@link #pending} are filled. */
    public int pendingCount;

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

    /**
     * Adds a chunk of samples that starts at {@code chunkStartMs} and hands every frame it
     * completes to {@code sink}. A chunk that does not continue the pending samples (a gap, or a
     * jump back) drops them: a frame never mixes audio from two places in time.
     */
    public void accept(short[] samples, int count, long chunkStartMs, int rate, FrameSink sink) {
        int frameLength = frameSamples(rate);
        if (pending == null || pending.length != frameLength || sampleRate != rate) {
            pending = new short[frameLength];
            pendingCount = 0;
            sampleRate = rate;
        }
        int offset = 0;
        if (pendingCount > 0) {
            long expectedMs = pendingStartMs + (pendingCount * 1000L) / rate;
            if (Math.abs(chunkStartMs - expectedMs) > CONTINUITY_TOLERANCE_MS) {
                pendingCount = 0;
            } else {
                int needed = frameLength - pendingCount;
                int take = Math.min(needed, count);
                System.arraycopy(samples, 0, pending, pendingCount, take);
                pendingCount += take;
                offset = take;
                if (pendingCount < frameLength) {
                    return;
                }
                sink.frame(pendingStartMs, pending, 0, frameLength);
                pendingCount = 0;
            }
        }
        while (count - offset >= frameLength) {
            sink.frame(chunkStartMs + (offset * 1000L) / rate, samples, offset, frameLength);
            offset += frameLength;
        }
        int rest = count - offset;
        if (rest > 0) {
            System.arraycopy(samples, offset, pending, 0, rest);
            pendingCount = rest;
            pendingStartMs = chunkStartMs + (offset * 1000L) / rate;
        }
    }
}
