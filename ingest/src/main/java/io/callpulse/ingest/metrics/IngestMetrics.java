package io.callpulse.ingest.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The ingest's operational figures, rendered in Prometheus' text format for {@code /metrics}.
 *
 * <p>Hand-written rather than a metrics library: the ingest needs a dozen series, and the hot path
 * (a message counted per WebSocket frame) must stay a {@link LongAdder} increment.
 */
public final class IngestMetrics {

    /** Kafka send latency buckets, in seconds: from 1 ms (a healthy local broker) to 10 s. */
    static final double[] LATENCY_BUCKETS_SECONDS = {
        0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    /**
     * Media messages per audio record: 1 (batching off, or a chunk written alone) up to 50 (1 s of
     * Plivo's 20 ms chunks, the longest batch allowed).
     */
    static final double[] RECORD_MESSAGES_BUCKETS = {1, 2, 3, 4, 5, 10, 25, 50};

    private final Map<String, AtomicLong> connectionsOpen = new ConcurrentSkipListMap<>();
    private final LabeledCounter connections = new LabeledCounter("route");
    private final LabeledCounter messages = new LabeledCounter("route", "type");
    private final LabeledCounter receivedBytes = new LabeledCounter("route");
    private final LabeledCounter records = new LabeledCounter("topic", "type");
    private final LabeledCounter rejects = new LabeledCounter("reason");
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BUCKETS_SECONDS.length + 1];
    private final LongAdder latencySumMicros = new LongAdder();
    private final LabeledCounter audioBatches = new LabeledCounter("reason");
    private final LongAdder[] recordMessagesBuckets =
            new LongAdder[RECORD_MESSAGES_BUCKETS.length + 1];
    private final LongAdder recordMessagesSum = new LongAdder();
    private volatile LongSupplier bufferedBytes = () -> 0;
    private volatile LongSupplier bufferLimitBytes = () -> 0;
    private volatile LongSupplier readingPaused = () -> 0;

    public IngestMetrics() {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
        for (int i = 0; i < recordMessagesBuckets.length; i++) {
            recordMessagesBuckets[i] = new LongAdder();
        }
    }

    public void connectionOpened(String route) {
        connectionsOpen.computeIfAbsent(route, r -> new AtomicLong()).incrementAndGet();
        connections.increment(route);
    }

    public void connectionClosed(String route) {
        connectionsOpen.computeIfAbsent(route, r -> new AtomicLong()).decrementAndGet();
    }

    /**
     * One WebSocket message of {@code bytes} bytes arrived on a connection of {@code route}.
     *
     * @param type from a bounded set, see {@link MetricLabels#messageType}
     */
    public void messageReceived(String route, String type, long bytes) {
        messages.increment(route, type);
        receivedBytes.add(bytes, route);
    }

    /**
     * A record was accepted for a topic: {@code type} is {@code media}, {@code end_of_stream}, the
     * event's type or the dead letter's stage; a type the ingest does not know is counted as
     * {@value MetricLabels#OTHER}.
     */
    public void recordAccepted(String topic, String type) {
        records.increment(topic, MetricLabels.recordType(type));
    }

    /**
     * Input was refused. The label is the reason's field (the text before its first colon, such as
     * {@code media.payload}), which keeps the label set small and still says what was wrong.
     */
    public void rejected(String reason) {
        rejects.increment(MetricLabels.rejectReason(reason));
    }

    public void kafkaSendCompleted(long latencyMicros, boolean failed) {
        if (failed) {
            sendFailures.increment();
        }
        double seconds = latencyMicros / 1e6;
        int bucket = 0;
        while (bucket < LATENCY_BUCKETS_SECONDS.length
                && seconds > LATENCY_BUCKETS_SECONDS[bucket]) {
            bucket++;
        }
        latencyBuckets[bucket].increment();
        latencySumMicros.add(latencyMicros);
    }

    /**
     * The audio batcher wrote a record joining {@code messages} media messages.
     *
     * @param reason what ended the record, one of the batcher's fixed reasons ({@code full}, {@code
     *     gap}, {@code event}, {@code sweep}, {@code end}, {@code shutdown}, {@code out_of_order})
     */
    public void audioBatchWritten(String reason, int messages) {
        audioBatches.increment(reason);
        int bucket = 0;
        while (bucket < RECORD_MESSAGES_BUCKETS.length
                && messages > RECORD_MESSAGES_BUCKETS[bucket]) {
            bucket++;
        }
        recordMessagesBuckets[bucket].increment();
        recordMessagesSum.add(messages);
    }

    public long audioBatchCount(String reason) {
        return audioBatches.get(reason);
    }

    /** Where the buffered-bytes gauges read from (the publisher's bounded buffer). */
    public void bindBuffer(LongSupplier buffered, LongSupplier limit, LongSupplier paused) {
        this.bufferedBytes = buffered;
        this.bufferLimitBytes = limit;
        this.readingPaused = paused;
    }

    public long rejectedCount(String reasonField) {
        return rejects.get(reasonField);
    }

    public long recordCount(String topic, String type) {
        return records.get(topic, type);
    }

    public long messageCount(String route, String type) {
        return messages.get(route, type);
    }

    /** All series in Prometheus' text exposition format 0.0.4. */
    public String renderPrometheus() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "callpulse_ingest_connections_open", "gauge", "WebSocket connections open");
        connectionsOpen.forEach(
                (route, open) ->
                        out.append("callpulse_ingest_connections_open{route=\"")
                                .append(escape(route))
                                .append("\"} ")
                                .append(open.get())
                                .append('\n'));
        connections.render(
                out, "callpulse_ingest_connections_total", "WebSocket connections accepted");
        messages.render(
                out,
                "callpulse_ingest_messages_total",
                "WebSocket messages received, by route and type (the event, other or invalid)");
        receivedBytes.render(
                out, "callpulse_ingest_received_bytes_total", "WebSocket message bytes received");
        records.render(
                out,
                "callpulse_ingest_records_total",
                "records accepted for Kafka, by topic and type (media or the event type)");
        rejects.render(
                out,
                "callpulse_ingest_rejects_total",
                "input refused (dead-lettered or refused at the door), by the field at fault");
        header(
                out,
                "callpulse_ingest_kafka_send_latency_seconds",
                "histogram",
                "from accepting a record to Kafka's acknowledgement");
        long cumulative = 0;
        for (int i = 0; i < latencyBuckets.length; i++) {
            cumulative += latencyBuckets[i].sum();
            String bound =
                    i < LATENCY_BUCKETS_SECONDS.length
                            ? Double.toString(LATENCY_BUCKETS_SECONDS[i])
                            : "+Inf";
            out.append("callpulse_ingest_kafka_send_latency_seconds_bucket{le=\"")
                    .append(bound)
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        out.append("callpulse_ingest_kafka_send_latency_seconds_sum ")
                .append(latencySumMicros.sum() / 1e6)
                .append('\n');
        out.append("callpulse_ingest_kafka_send_latency_seconds_count ")
                .append(cumulative)
                .append('\n');
        audioBatches.render(
                out,
                "callpulse_ingest_audio_batches_total",
                "audio records written by the batcher, by what ended each (full, gap, event, sweep,"
                        + " end, shutdown, out_of_order)");
        header(
                out,
                "callpulse_ingest_audio_record_messages",
                "histogram",
                "media messages joined into one audio record");
        long records = 0;
        for (int i = 0; i < recordMessagesBuckets.length; i++) {
            records += recordMessagesBuckets[i].sum();
            String bound =
                    i < RECORD_MESSAGES_BUCKETS.length
                            ? Long.toString((long) RECORD_MESSAGES_BUCKETS[i])
                            : "+Inf";
            out.append("callpulse_ingest_audio_record_messages_bucket{le=\"")
                    .append(bound)
                    .append("\"} ")
                    .append(records)
                    .append('\n');
        }
        out.append("callpulse_ingest_audio_record_messages_sum ")
                .append(recordMessagesSum.sum())
                .append('\n');
        out.append("callpulse_ingest_audio_record_messages_count ").append(records).append('\n');
        gauge(
                out,
                "callpulse_ingest_kafka_send_failures_total",
                "counter",
                "records Kafka refused after its retries",
                sendFailures.sum());
        gauge(
                out,
                "callpulse_ingest_buffered_bytes",
                "gauge",
                "bytes accepted and not yet acknowledged by Kafka",
                bufferedBytes.getAsLong());
        gauge(
                out,
                "callpulse_ingest_buffer_limit_bytes",
                "gauge",
                "buffered bytes above which the ingest stops reading its sockets",
                bufferLimitBytes.getAsLong());
        gauge(
                out,
                "callpulse_ingest_reading_paused",
                "gauge",
                "1 while the ingest has stopped reading its sockets (Kafka is behind)",
                readingPaused.getAsLong());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String type, String help, long v) {
        header(out, name, type, help);
        out.append(name).append(' ').append(v).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** A counter with labels; label values are joined with a NUL that no label can contain. */
    private static final class LabeledCounter {
        private final String[] labelNames;

        /**
         * Keyed by the label values as a list: on the hot path (several times per message) the
         * lookup wraps the caller's array without copying, and a list's hash is made of the
         * strings' cached hashes, where a joined key would be a new string hashed every time.
         */
        private final Map<List<String>, LongAdder> values = new ConcurrentHashMap<>();

        LabeledCounter(String... labelNames) {
            this.labelNames = labelNames;
        }

        void increment(String... labelValues) {
            add(1, labelValues);
        }

        void add(long amount, String... labelValues) {
            LongAdder adder = values.get(Arrays.asList(labelValues));
            if (adder == null) {
                // a copy: the caller may reuse its array
                adder = values.computeIfAbsent(List.of(labelValues.clone()), k -> new LongAdder());
            }
            adder.add(amount);
        }

        long get(String... labelValues) {
            LongAdder adder = values.get(Arrays.asList(labelValues));
            return adder == null ? 0 : adder.sum();
        }

        void render(StringBuilder out, String name, String help) {
            header(out, name, "counter", help);
            List<List<String>> keys = new ArrayList<>(values.keySet());
            keys.sort(Comparator.comparing(key -> String.join("\0", key)));
            for (List<String> key : keys) {
                out.append(name).append('{');
                for (int i = 0; i < labelNames.length; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    out.append(labelNames[i]).append("=\"").append(escape(key.get(i))).append('"');
                }
                out.append("} ").append(values.get(key).sum()).append('\n');
            }
        }
    }
}
