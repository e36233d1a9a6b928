package io.callpulse.bench.endtoend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callpulse.bench.support.BenchOptions;
import io.callpulse.local.LocalStack;
import io.callpulse.records.Alert;
import io.callpulse.records.Json;
import io.callpulse.simulator.Conversations;
import io.callpulse.simulator.LoadRun;
import io.callpulse.simulator.RunStats;
import io.callpulse.simulator.ScenarioMix;
import io.callpulse.simulator.StreamFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code ./bench.sh end-to-end}: the whole local stack (broker, job on a MiniCluster, ingest) under
 * N concurrent real-time two-track calls from the simulator, all in this JVM, and how long it takes
 * for
 *
 * <ul>
 *   <li>a frame to be counted in its 1 s window on {@code callpulse.metrics}, as a reader that only
 *       sees committed records sees it (every frame of every window: from the frame's media
 *       timestamp, which is when the real-time simulator sends it, to the window's arrival);
 *   <li>a window to arrive once its last frame was sent (the same, from the window's end);
 *   <li>a DroppedStream status callback to turn into STREAM_DROPPED on {@code callpulse.alerts}
 *       (from the moment the simulator sends the callback).
 * </ul>
 *
 * Only windows that start after the ramp-up and end before the load stops are counted: the figures
 * are the steady state at N calls.
 */
public final class EndToEndLatencyBenchmark {

    private static final ObjectMapper JSON = Json.mapper();

    /** Frames per window: 1 s of 20 ms frames. */
    private static final int FRAMES_PER_WINDOW = 50;

    private static final long FRAME_MS = 20;

    record Options(
            int calls,
            Duration rampUp,
            Duration measure,
            Duration callLength,
            int droppedPercent,
            StreamFormat format,
            int parallelism,
            List<String> jobArguments) {

        static final String HELP =
                """
usage: ./bench.sh end-to-end [options] [-- job arguments]
  --calls N            concurrent two-track calls (default 1000)
  --ramp-up SECONDS    time over which the calls start; not measured (default 30)
  --measure SECONDS    steady-state time measured after the ramp-up (default 60)
  --call-length SECONDS each call's length; ended calls are replaced (default 40)
  --dropped PERCENT    calls that drop (socket cut + DroppedStream) (default 10)
  --format F           mulaw-8k | l16-8k | l16-16k (default mulaw-8k)
  --parallelism P      the job's parallelism on the MiniCluster (default 2)
  -- ...               the rest goes to the job, e.g. -- --checkpoint-interval-ms 500
""";

        static Options parse(String[] args) {
            BenchOptions options =
                    BenchOptions.parse(
                            args,
                            Set.of(
                                    "calls",
                                    "ramp-up",
                                    "measure",
                                    "call-length",
                                    "dropped",
                                    "format",
                                    "parallelism"),
                            Set.of("help"));
            if (options.flag("help")) {
                System.out.print(HELP);
                System.exit(0);
            }
            return new Options(
                    options.positiveInt("calls", 1000),
                    options.duration("ramp-up", Duration.ofSeconds(30)),
                    options.duration("measure", Duration.ofSeconds(60)),
                    options.duration("call-length", Duration.ofSeconds(40)),
                    percent("dropped", options.string("dropped", "10")),
                    format(options.string("format", "mulaw-8k")),
                    options.positiveInt("parallelism", 2),
                    options.passedOn());
        }

        private static int percent(String name, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 0 && n <= 100) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    "--" + name + ": expected a percentage from 0 to 100, found '" + value + "'");
        }

        private static StreamFormat format(String value) {
            for (StreamFormat f : StreamFormat.values()) {
                if (f.name().toLowerCase().replace('_', '-').equals(value)) {
                    return f;
                }
            }
            throw new IllegalArgumentException(
                    "--format: expected mulaw-8k, l16-8k or l16-16k, found '" + value + "'");
        }
    }

    /** What the readers of the output topics saw. */
    static final class Observed {
        final MillisHistogram frameToWindow = new MillisHistogram(120_000);
        final MillisHistogram windowEndToWindow = new MillisHistogram(120_000);

        /** The same windows as written, before their transaction commits. */
        final MillisHistogram windowEndToWritten = new MillisHistogram(120_000);

        final MillisHistogram droppedToAlert = new MillisHistogram(120_000);
        final Map<String, Long> droppedSentAt = new ConcurrentHashMap<>();
        final Map<String, Boolean> alerted = new ConcurrentHashMap<>();
        volatile long measureFromMs = Long.MAX_VALUE;
        volatile long measureUntilMs = Long.MAX_VALUE;
        long windowsOutside;
        long alertsUnmatched;

        /** A window was written (seen by a read_uncommitted reader) at {@code arrivedAtMs}. */
        void windowWritten(long startMs, long endMs, long arrivedAtMs) {
            if (startMs >= measureFromMs && endMs <= measureUntilMs) {
                windowEndToWritten.add(arrivedAtMs - endMs, 1);
            }
        }

        /** A window arrived at {@code arrivedAtMs}. */
        void window(long startMs, long endMs, long arrivedAtMs) {
            if (startMs < measureFromMs || endMs > measureUntilMs) {
                windowsOutside++;
                return;
            }
            windowEndToWindow.add(arrivedAtMs - endMs, 1);
            long frames = Math.max(1, (endMs - startMs) / FRAME_MS);
            for (long k = 0; k < frames; k++) {
                frameToWindow.add(arrivedAtMs - (startMs + k * FRAME_MS), 1);
            }
        }

        void alert(String streamId, String type, String state, long arrivedAtMs) {
            if (!Alert.Types.STREAM_DROPPED.equals(type) || !Alert.FIRING.equals(state)) {
                return;
            }
            Long sentAt = droppedSentAt.get(streamId);
            if (sentAt == null) {
                // dropped by the socket close before the callback was sent: timed when it comes
                alertsUnmatched++;
                return;
            }
            if (alerted.putIfAbsent(streamId, Boolean.TRUE) == null) {
                droppedToAlert.add(arrivedAtMs - sentAt, 1);
            }
        }
    }

    private EndToEndLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        run(Options.parse(args), System.out);
        System.exit(0);
    }

    static void run(Options options, PrintStream out) throws Exception {
        out.printf(
                "end-to-end: %d concurrent two-track calls (%s, %d %% dropping), ramp-up %d s, "
                        + "measured %d s; job parallelism %d, job arguments %s%n",
                options.calls(),
                options.format().name().toLowerCase(),
                options.droppedPercent(),
                options.rampUp().toSeconds(),
                options.measure().toSeconds(),
                options.parallelism(),
                options.jobArguments());
        out.printf(
                "one JVM holds the broker, the MiniCluster, the ingest and the simulator; %d cores;"
                        + " load average before: %.2f%n",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        Observed observed = new Observed();
        try (LocalStack stack =
                LocalStack.start(
                        new LocalStack.Options(0, options.parallelism(), false, false),
                        options.jobArguments().toArray(String[]::new))) {
            OutputReader reader = new OutputReader(stack, observed, true);
            OutputReader uncommitted = new OutputReader(stack, observed, false);
            reader.start();
            uncommitted.start();
            int dropped = options.droppedPercent();
            LoadRun load =
                    new LoadRun(
                            new LoadRun.Config(
                                    stack.streamEndpoint(),
                                    stack.streamEndpoint(),
                                    stack.statusCallbackEndpoint(),
                                    null,
                                    null,
                                    options.calls(),
                                    options.rampUp().plus(options.measure()),
                                    options.rampUp(),
                                    options.callLength(),
                                    ScenarioMix.parse(
                                            dropped == 0
                                                    ? "normal=100"
                                                    : dropped == 100
                                                            ? "dropped=100"
                                                            : "normal="
                                                                    + (100 - dropped)
                                                                    + ",dropped="
                                                                    + dropped),
                                    options.format(),
                                    LoadRun.Tracks.BOTH,
                                    true,
                                    LoadRun.AudioSource.synthetic(Conversations.Voice.SPEECH, 1),
                                    null,
                                    1));
            load.onCallbackSent(
                    (streamId, event, sentAtMs) -> {
                        if ("DroppedStream".equals(event)) {
                            observed.droppedSentAt.putIfAbsent(streamId, sentAtMs);
                        }
                    });
            long now = System.currentTimeMillis();
            // a window that starts after the ramp-up and ends before the calls are cut short
            observed.measureFromMs = now + options.rampUp().toMillis();
            observed.measureUntilMs = now + options.rampUp().plus(options.measure()).toMillis();
            PrintStream everyTenSeconds = new EveryNthLine(out, 10);
            RunStats stats = load.run(everyTenSeconds);
            out.println("simulator: " + stats.summary(load.elapsedMs()));
            // the last measured windows close one checkpoint after their watermark passes
            Thread.sleep(10_000);
            reader.stop();
            uncommitted.stop();
            out.printf("load average after: %.2f%n", loadAverage());
            report(options, observed, out);
        }
    }

    static void report(Options options, Observed observed, PrintStream out) {
        out.printf("windows outside the measured time: %d%n", observed.windowsOutside);
        out.printf(
                "frame -> its window on %s (committed): %s   goal p99 <= 2000 ms: %s%n",
                "callpulse.metrics",
                observed.frameToWindow.summary(),
                verdict(observed.frameToWindow, 2000));
        out.printf(
                "window end -> window on callpulse.metrics (committed): %s%n",
                observed.windowEndToWindow.summary());
        out.printf(
                "window end -> window written, before its commit (read_uncommitted): %s%n",
                observed.windowEndToWritten.summary());
        long expectedWindows = (long) options.calls() * options.measure().toSeconds();
        out.printf(
                "windows measured: %d of about %d (calls x measured seconds, less calls between"
                        + " replacements)%n",
                observed.windowEndToWindow.count(), expectedWindows);
        out.printf(
                "DroppedStream callback -> STREAM_DROPPED on callpulse.alerts: %s   goal p99 <="
                        + " 1000 ms: %s (DroppedStream callbacks sent: %d; alerts before their"
                        + " callback: %d)%n",
                observed.droppedToAlert.summary(),
                verdict(observed.droppedToAlert, 1000),
                observed.droppedSentAt.size(),
                observed.alertsUnmatched);
    }

    private static String verdict(MillisHistogram histogram, long goalMs) {
        if (histogram.count() == 0) {
            return "NOT MEASURED";
        }
        return histogram.percentile(0.99) <= goalMs ? "met" : "MISSED";
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * Reads the metrics (committed only, as a dashboard would) and the alerts as they come; or, to
     * tell the checkpoint's share of the latency, the metrics as written, uncommitted.
     */
    private static final class OutputReader {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Observed observed;
        private final String metricsTopic;
        private final String alertsTopic;
        private final Thread thread;
        private final boolean committed;
        private volatile boolean running = true;

        OutputReader(LocalStack stack, Observed observed, boolean committed) {
            this.committed = committed;
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            props.put(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    committed ? "read_committed" : "read_uncommitted");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
            this.consumer =
                    new KafkaConsumer<>(
                            props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.observed = observed;
            this.metricsTopic = stack.topics().metrics();
            this.alertsTopic = stack.topics().alerts();
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic :
                    committed ? List.of(metricsTopic, alertsTopic) : List.of(metricsTopic)) {
                consumer.partitionsFor(topic)
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            this.thread = new Thread(this::readUntilStopped, "end-to-end-reader");
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }

        private void readUntilStopped() {
            try {
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(50));
                    long arrivedAtMs = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        read(record, arrivedAtMs);
                    }
                }
            } finally {
                consumer.close();
            }
        }

        private void read(ConsumerRecord<byte[], byte[]> record, long arrivedAtMs) {
            try {
                JsonNode value = JSON.readTree(record.value());
                if (!committed) {
                    observed.windowWritten(
                            value.path("windowStartMs").asLong(),
                            value.path("windowEndMs").asLong(),
                            arrivedAtMs);
                } else if (record.topic().equals(metricsTopic)) {
                    observed.window(
                            value.path("windowStartMs").asLong(),
                            value.path("windowEndMs").asLong(),
                            arrivedAtMs);
                } else {
                    observed.alert(
                            value.path("streamId").asText(),
                            value.path("type").asText(),
                            value.path("state").asText(),
                            arrivedAtMs);
                }
            } catch (IOException e) {
                throw new IllegalStateException(
                        "unreadable record on " + record.topic() + " at " + record.offset(), e);
            }
        }
    }

    /** Passes on one progress line in {@code n}, so that a long run prints a readable log. */
    private static final class EveryNthLine extends PrintStream {
        private final int n;
        private int lines;

        EveryNthLine(PrintStream out, int n) {
            super(out, true);
            this.n = n;
        }

        @Override
        public void println(String line) {
            if (lines++ % n == 0) {
                super.println(line);
            }
        }
    }
}
