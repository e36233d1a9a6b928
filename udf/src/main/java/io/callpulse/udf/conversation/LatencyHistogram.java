package io.callpulse.udf.conversation;

/**
 * Response latencies of one direction of a call, in a bounded histogram so that a long call keeps a
 * few hundred bytes: 20 ms buckets (one analysis slot) below 2 s, 100 ms buckets to 10 s, and one
 * bucket above. Percentiles are nearest-rank and read as their bucket's lower bound, so they are
 * exact below 2 s; the maximum is exact. A plain POJO, for Flink state.
 */
public class LatencyHistogram {

    private static final int FINE_LIMIT_MS = 2_000;
    private static final int FINE_STEP_MS = 20;
    private static final int COARSE_LIMIT_MS = 10_000;
    private static final int COARSE_STEP_MS = 100;
    private static final int FINE_BUCKETS = FINE_LIMIT_MS / FINE_STEP_MS;
    private static final int BUCKETS =
            FINE_BUCKETS + (COARSE_LIMIT_MS - FINE_LIMIT_MS) / COARSE_STEP_MS + 1;

    /** Counts per bucket; {@code null} until the first latency. */
    public int[] counts;

    public int count;

    public long maxMs;

    public LatencyHistogram() {}

    public void add(long latencyMs) {
        if (latencyMs < 0) {
            throw new IllegalArgumentException("latency: expected 0 or more, found " + latencyMs);
        }
        if (counts == null) {
            counts = new int[BUCKETS];
        }
        counts[bucket(latencyMs)]++;
        count++;
        maxMs = Math.max(maxMs, latencyMs);
    }

    /** The nearest-rank percentile in ms, or {@code null} without latencies. */
    public Long percentile(double percent) {
        if (count == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * count));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(lowerBound(b), maxMs);
            }
        }
        return maxMs;
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
