package io.callpulse.udf.conversation;

/**
 * Response latencies of one direction of a call, in a bounded histogram: 20 ms buckets (one
 * analysis slot) below 2 s, 100 ms buckets to 10 s, and one bucket above. Percentiles are
 * nearest-rank and read as their bucket's lower bound, so they are exact below 2 s; the maximum is
 * exact.
 *
 * <p>A plain POJO, for Flink state, that keeps only its non-empty buckets, as varints: a call has a
 * response per turn, a few to a few dozen, so a dense array of all 181 counts would be mostly zeros
 * and cost 728 bytes per direction in every checkpoint; this costs about two bytes per distinct
 * bucket (362 when all 181 are, with counts below 128). Adding re-encodes the bytes, which is cheap
 * at one response per turn.
 */
public class LatencyHistogram {

    private static final int FINE_LIMIT_MS = 2_000;
    private static final int FINE_STEP_MS = 20;
    private static final int COARSE_LIMIT_MS = 10_000;
    private static final int COARSE_STEP_MS = 100;
    private static final int FINE_BUCKETS = FINE_LIMIT_MS / FINE_STEP_MS;
    private static final int BUCKETS =
            FINE_BUCKETS + (COARSE_LIMIT_MS - FINE_LIMIT_MS) / COARSE_STEP_MS + 1;

    /**
     * The non-empty buckets in ascending order, each as two unsigned varints: its distance from the
     * previous non-empty bucket (the first: from bucket 0), then its count. {@code null} until the
     * first latency.
     */
    public byte[] buckets;

    public int count;

    public long maxMs;

    public LatencyHistogram() {}

    public void add(long latencyMs) {
        if (latencyMs < 0) {
            throw new IllegalArgumentException("latency: expected 0 or more, found " + latencyMs);
        }
        int[] counts = counts();
        counts[bucket(latencyMs)]++;
        buckets = encode(counts);
        count++;
        maxMs = Math.max(maxMs, latencyMs);
    }

    /** The nearest-rank percentile in ms, or {@code null} without latencies. */
    public Long percentile(double percent) {
        if (count == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * count));
        int[] counts = counts();
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(lowerBound(b), maxMs);
            }
        }
        return maxMs;
    }

    /** Every bucket's count, the empty ones too. */
    public int[] counts() {
        int[] counts = new int[BUCKETS];
        if (buckets == null) {
            return counts;
        }
        int bucket = 0;
        int at = 0;
        while (at < buckets.length) {
            int[] read = readVarint(buckets, at);
            bucket += read[0];
            if (bucket >= BUCKETS) {
                throw new IllegalStateException(
                        "latency histogram: bucket " + bucket + " past the last, " + (BUCKETS - 1));
            }
            int[] bucketCount = readVarint(buckets, read[1]);
            counts[bucket] = bucketCount[0];
            at = bucketCount[1];
        }
        return counts;
    }

    private static byte[] encode(int[] counts) {
        int length = 0;
        int previous = 0;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] != 0) {
                length += varintLength(b - previous) + varintLength(counts[b]);
                previous = b;
            }
        }
        byte[] out = new byte[length];
        int at = 0;
        previous = 0;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] != 0) {
                at = writeVarint(out, at, b - previous);
                at = writeVarint(out, at, counts[b]);
                previous = b;
            }
        }
        return out;
    }

    private static int varintLength(int value) {
        int length = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    private static int writeVarint(byte[] out, int at, int value) {
        while ((value & ~0x7F) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    /** The varint at {@code at}: its value and the position after it. */
    private static int[] readVarint(byte[] in, int at) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (at >= in.length) {
                throw new IllegalStateException(
                        "latency histogram: a varint runs past the end of its "
                                + in.length
                                + " bytes");
            }
            byte b = in[at++];
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return new int[] {value, at};
            }
        }
        throw new IllegalStateException("latency histogram: a varint longer than 5 bytes");
    }

    private static int bucket(long ms) {
        if (ms < FINE_LIMIT_MS) {
            return (int) (ms / FINE_STEP_MS);
        }
        if (ms < COARSE_LIMIT_MS) {
            return FINE_BUCKETS + (int) ((ms - FINE_LIMIT_MS) / COARSE_STEP_MS);
        }
        return BUCKETS - 1;
    }

    private static long lowerBound(int bucket) {
        if (bucket < FINE_BUCKETS) {
            return (long) bucket * FINE_STEP_MS;
        }
        if (bucket < BUCKETS - 1) {
            return FINE_LIMIT_MS + (long) (bucket - FINE_BUCKETS) * COARSE_STEP_MS;
        }
        return COARSE_LIMIT_MS;
    }
}
