package io.callpulse.bench.endtoend;

/**
 * Latencies counted per whole millisecond, so that millions of frames cost a fixed array and the
 * percentiles are exact to the millisecond. Latencies beyond the range are counted at its top.
 */
final class MillisHistogram {

    private final long[] counts;
    private long total;
    private long max = Long.MIN_VALUE;

    MillisHistogram(int maxMillis) {
        counts = new long[maxMillis + 1];
    }

    synchronized void add(long millis, long times) {
        int bucket = (int) Math.max(0, Math.min(counts.length - 1, millis));
        counts[bucket] += times;
        total += times;
        max = Math.max(max, millis);
    }

    synchronized long count() {
        return total;
    }

    synchronized long max() {
        return total == 0 ? 0 : max;
    }

    /** The smallest latency at or below which {@code fraction} of the counted ones lie. */
    synchronized long percentile(double fraction) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int ms = 0; ms < counts.length; ms++) {
            seen += counts[ms];
            if (seen >= Math.max(1, rank)) {
                return ms;
            }
        }
        return counts.length - 1;
    }

    synchronized String summary() {
        return total == 0
                ? "none"
                : String.format(
                        "n=%d p50=%d p95=%d p99=%d max=%d ms",
                        total, percentile(0.50), percentile(0.95), percentile(0.99), max());
    }
}
