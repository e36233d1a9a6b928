package io.callpulse.bench.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the benchmark reads from the ingest's {@code /metrics} (Prometheus text): messages received
 * on the Plivo route, records acknowledged by Kafka, and the histogram of {@code
 * callpulse_ingest_kafka_send_latency_seconds}, which the ingest measures from the moment it
 * accepts a record (the message read and parsed) to Kafka's acknowledgement.
 *
 * @param streamMessages {@code callpulse_ingest_messages_total} of the Plivo route (label {@code
 *     plivo}, path /stream), all types
 * @param ackedRecords the histogram's count: records acknowledged (or failed) by Kafka
 * @param bucketBoundsMs the histogram's upper bounds in milliseconds, the last one infinite
 * @param bucketCumulative the histogram's cumulative counts, one per bound
 * @param sendFailures {@code callpulse_ingest_kafka_send_failures_total}
 * @param readingPaused whether the ingest had stopped reading its sockets (Kafka behind)
 * @param bufferedBytes accepted, not yet acknowledged
 * @param connectionsOpen WebSocket connections open on the Plivo route
 */
record IngestMetricsSnapshot(
        long streamMessages,
        long ackedRecords,
        double[] bucketBoundsMs,
        long[] bucketCumulative,
        long sendFailures,
        boolean readingPaused,
        long bufferedBytes,
        long connectionsOpen) {

    /** The route label of Plivo's streams (path /stream). */
    static final String STREAM_ROUTE = "plivo";

    /** Parses the text of {@code /metrics}; a series it needs and does not find is an error. */
    static IngestMetricsSnapshot parse(String text) {
        long messages = 0;
        boolean sawMessages = false;
        long count = -1;
        List<Double> bounds = new ArrayList<>();
        List<Long> cumulative = new ArrayList<>();
        long failures = 0;
        boolean paused = false;
        long buffered = 0;
        long open = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE callpulse_ingest_messages_total ")) {
                sawMessages = true; // declared even before the first message
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            String value = line.substring(space + 1);
            if (series.startsWith("callpulse_ingest_messages_total{")) {
                sawMessages = true;
                if (series.contains("route=\"" + STREAM_ROUTE + "\"")) {
                    messages += (long) Double.parseDouble(value);
                }
            } else if (series.startsWith("callpulse_ingest_kafka_send_latency_seconds_bucket{")) {
                String le = label(series, "le");
                bounds.add(
                        le.equals("+Inf")
                                ? Double.POSITIVE_INFINITY
                                : Double.parseDouble(le) * 1000);
                cumulative.add((long) Double.parseDouble(value));
            } else if (series.equals("callpulse_ingest_kafka_send_latency_seconds_count")) {
                count = (long) Double.parseDouble(value);
            } else if (series.equals("callpulse_ingest_kafka_send_failures_total")) {
                failures = (long) Double.parseDouble(value);
            } else if (series.equals("callpulse_ingest_reading_paused")) {
                paused = Double.parseDouble(value) != 0;
            } else if (series.equals("callpulse_ingest_buffered_bytes")) {
                buffered = (long) Double.parseDouble(value);
            } else if (series.equals(
                    "callpulse_ingest_connections_open{route=\"" + STREAM_ROUTE + "\"}")) {
                open = (long) Double.parseDouble(value);
            }
        }
        if (count < 0 || bounds.isEmpty()) {
            throw new IllegalArgumentException(
                    "/metrics: expected the histogram callpulse_ingest_kafka_send_latency_seconds"
                            + " (buckets and count), found none");
        }
        if (!sawMessages) {
            throw new IllegalArgumentException(
                    "/metrics: expected callpulse_ingest_messages_total, found none");
        }
        return new IngestMetricsSnapshot(
                messages,
                count,
                bounds.stream().mapToDouble(Double::doubleValue).toArray(),
                cumulative.stream().mapToLong(Long::longValue).toArray(),
                failures,
                paused,
                buffered,
                open);
    }

    private static String label(String series, String name) {
        int at = series.indexOf(name + "=\"");
        if (at < 0) {
            throw new IllegalArgumentException("/metrics: no label " + name + " in " + series);
        }
        int from = at + name.length() + 2;
        return series.substring(from, series.indexOf('"', from));
    }

    /** The histogram of what was acknowledged between {@code earlier} and this snapshot. */
    LatencyWindow since(IngestMetricsSnapshot earlier) {
        long[] counts = new long[bucketCumulative.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = bucketCumulative[i] - earlier.bucketCumulative[i];
        }
        return new LatencyWindow(bucketBoundsMs, counts);
    }

    /**
     * A latency histogram over a window.
     *
     * @param boundsMs upper bounds in ms, ascending, the last one infinite
     * @param cumulative cumulative counts, one per bound
     */
    record LatencyWindow(double[] boundsMs, long[] cumulative) {

        long count() {
            return cumulative[cumulative.length - 1];
        }

        /**
         * The {@code q} quantile, interpolated linearly within its bucket (as Prometheus'
         * histogram_quantile does); the first bucket starts at 0. In the last, infinite bucket it
         * is the last finite bound (the quantile is at least that). NaN when empty.
         */
        double quantileMs(double q) {
            long total = count();
            if (total == 0) {
                return Double.NaN;
            }
            double rank = q * total;
            long below = 0;
            for (int i = 0; i < cumulative.length; i++) {
                if (cumulative[i] >= rank) {
                    if (Double.isInfinite(boundsMs[i])) {
                        return i == 0 ? Double.NaN : boundsMs[i - 1];
                    }
                    double lower = i == 0 ? 0 : boundsMs[i - 1];
                    long inBucket = cumulative[i] - below;
                    return lower + (boundsMs[i] - lower) * (rank - below) / inBucket;
                }
                below = cumulative[i];
            }
            return Double.NaN;
        }

        /** The fraction at or under {@code boundMs}, which must be one of the bucket bounds. */
        double fractionWithinMs(double boundMs) {
            for (int i = 0; i < boundsMs.length; i++) {
                if (boundsMs[i] == boundMs) {
                    return count() == 0 ? Double.NaN : (double) cumulative[i] / count();
                }
            }
            throw new IllegalArgumentException(boundMs + " ms is not a bucket bound");
        }

        /** e.g. "12.3" or ">10000" for a quantile in the infinite bucket. */
        String format(double q) {
            double ms = quantileMs(q);
            if (Double.isNaN(ms)) {
                return "n/a";
            }
            if (ms == boundsMs[boundsMs.length - 2]
                    && cumulative[cumulative.length - 2] < q * count()) {
                return ">" + String.format(Locale.ROOT, "%.0f", ms);
            }
            return String.format(Locale.ROOT, "%.1f", ms);
        }
    }
}
