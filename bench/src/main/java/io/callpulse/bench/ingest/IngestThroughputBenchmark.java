package io.callpulse.bench.ingest;

import io.callpulse.bench.ingest.IngestBenchRig.Side;
import io.callpulse.bench.support.BenchOptions;
import io.callpulse.simulator.RunStats;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./bench.sh ingest}: the ingest against the bare counting Java-WebSocket server under the
 * same simulator load (docs/benchmarks.md, "Ingest throughput and latency").
 *
 * <ol>
 *   <li>Throughput: the simulator plays streams as fast as the sockets take them, against the sink
 *       and against the ingest (which publishes to a real broker), interleaved, several rounds; the
 *       medians of messages received per second and their ratio.
 *   <li>Real-time latency: at rising numbers of real-time two-track streams, each server in turn:
 *       whether it keeps up, and the ingest's accept-to-Kafka-acknowledgement p50 and p99; the most
 *       streams with p99 at most 50 ms.
 * </ol>
 */
public final class IngestThroughputBenchmark {

    static final String HELP =
            """
usage: ./bench.sh ingest [options]

The ingest against the bare counting Java-WebSocket server, same simulator load. Processes:
the simulator in this JVM; the Kafka broker (embedded KRaft), the ingest and the sink each in
a JVM of its own, all on this machine.

  --rounds N           interleaved throughput rounds per side (default 3)
  --fast-calls N       concurrent streams of the throughput load, fast pacing (default 100)
  --warm-up D          load before each throughput window (default 8s)
  --window D           throughput measuring window (default 15s)
  --levels N,N,...     real-time two-track streams to try, rising (default 250,500,1000,2000);
                       the ramp stops at the first level the ingest cannot hold
  --level-window D     measuring window at each level, after ramp-up and 5 s (default 20s)
  --bisect N           levels tried between the last held and the first failed (default 1)
  --heap SIZE          -Xmx/-Xms of the broker, ingest and sink JVMs (default 1g)
  --jfr DIR            write flight recordings of every process to DIR
  --skip-throughput    only the real-time levels
  --skip-latency       only the throughput rounds
  --help               this text

Latency is the ingest's own histogram callpulse_ingest_kafka_send_latency_seconds (from the
record accepted, right after the message is read and parsed, to Kafka's acknowledgement),
interpolated within its buckets; the fraction within 50 ms is exact (a bucket bound).
A level is held when the server received at least 95 % of the expected 100 messages/s per
stream, the simulator's ticks ran at most 500 ms late, and the ingest never paused reading.
""";

    static final Set<String> VALUED =
            Set.of(
                    "rounds",
                    "fast-calls",
                    "warm-up",
                    "window",
                    "levels",
                    "level-window",
                    "bisect",
                    "heap",
                    "jfr");
    static final Set<String> FLAGS = Set.of("skip-throughput", "skip-latency", "help");

    /** Messages per second a two-track real-time stream sends: one per track per 20 ms. */
    static final int MESSAGES_PER_STREAM_SECOND = 100;

    static final double P99_GOAL_MS = 50;

    private final PrintStream out;
    private final IngestBenchRig rig;

    private IngestThroughputBenchmark(PrintStream out, IngestBenchRig rig) {
        this.out = out;
        this.rig = rig;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parseOrHelp(args, VALUED, FLAGS, HELP);
        int rounds = options.positiveInt("rounds", 3);
        int fastCalls = options.positiveInt("fast-calls", 100);
        Duration warmUp = options.duration("warm-up", Duration.ofSeconds(8));
        Duration window = options.duration("window", Duration.ofSeconds(15));
        List<Integer> levels = options.positiveInts("levels", List.of(250, 500, 1000, 2000));
        Duration levelWindow = options.duration("level-window", Duration.ofSeconds(20));
        int bisect = Integer.parseInt(options.string("bisect", "1"));
        String heap = options.string("heap", "1g");
        Path jfr = options.flag("jfr") ? Path.of(options.string("jfr", ".")) : null;

        PrintStream out = System.out;
        Path logs = Files.createTempDirectory("callpulse-bench-ingest-");
        out.printf(
                "ingest benchmark, %s, %d cores, load average %s; process logs in %s%n",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                IngestBenchStats.loadAverage(),
                logs);
        jdk.jfr.Recording recording = null;
        if (jfr != null) {
            Files.createDirectories(jfr);
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            recording.setDestination(jfr.resolve("simulator.jfr"));
            recording.start();
        }
        try (IngestBenchRig rig = IngestBenchRig.start(heap, true, logs, jfr)) {
            out.println("processes: " + rig.layout());
            IngestThroughputBenchmark benchmark = new IngestThroughputBenchmark(out, rig);
            if (!options.flag("skip-throughput")) {
                benchmark.throughput(rounds, fastCalls, warmUp, window);
            }
            if (!options.flag("skip-latency")) {
                benchmark.levels(levels, levelWindow, bisect);
            }
        } finally {
            if (recording != null) {
                recording.stop();
                recording.close();
            }
        }
        out.printf("load average after: %s%n", IngestBenchStats.loadAverage());
        System.exit(0);
    }

    // ---- throughput ----

    void throughput(int rounds, int calls, Duration warmUp, Duration window) throws Exception {
        out.printf(
                "%n== throughput: %d streams, fast pacing, mu-law 8 kHz, two tracks; %d s warm-up,"
                        + " %d s window; %d rounds per side, interleaved ==%n",
                calls, warmUp.toSeconds(), window.toSeconds(), rounds);
        // one unmeasured round each: class loading and JIT compilation of both servers
        for (Side side : Side.values()) {
            throughputRound(side, calls, Duration.ofSeconds(5), Duration.ofSeconds(5), false);
        }
        Map<Side, List<Double>> rates = new EnumMap<>(Side.class);
        for (int round = 1; round <= rounds; round++) {
            // alternate which side goes first, so that neither always follows the other
            List<Side> order =
                    round % 2 == 1
                            ? List.of(Side.SINK, Side.INGEST)
                            : List.of(Side.INGEST, Side.SINK);
            for (Side side : order) {
                out.printf("round %d %-9s ", round, side.label);
                double rate = throughputRound(side, calls, warmUp, window, true);
                rates.computeIfAbsent(side, s -> new ArrayList<>()).add(rate);
            }
        }
        double sink = IngestBenchStats.median(rates.get(Side.SINK));
        double ingest = IngestBenchStats.median(rates.get(Side.INGEST));
        // each round's pair ran back to back: their ratio is less touched by load that comes and
        // goes on a shared machine than the ratio of the medians
        List<Double> paired = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            paired.add(rates.get(Side.INGEST).get(i) / rates.get(Side.SINK).get(i));
        }
        out.printf(
                Locale.ROOT,
                "median messages/s: bare sink %,.0f, ingest %,.0f; ratio ingest/sink %.2f"
                        + " (goal >= 0.50: %s); median of the rounds' ratios %.2f%n",
                sink,
                ingest,
                ingest / sink,
                ingest / sink >= 0.5 ? "met" : "MISSED",
                IngestBenchStats.median(paired));
    }

    private double throughputRound(
            Side side, int calls, Duration warmUp, Duration window, boolean print)
            throws Exception {
        IngestBenchLoad load =
                IngestBenchLoad.start(
                        rig.url(side),
                        calls,
                        warmUp.plus(window).plusSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(2),
                        "normal=100",
                        false);
        Thread.sleep(warmUp.toMillis());
        long received0 = rig.received(side);
        long sent0 = load.sent();
        IngestMetricsSnapshot metrics0 = side == Side.INGEST ? rig.ingestMetrics() : null;
        Map<String, Duration> cpu0 = rig.cpuTimes();
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());
        long received1 = rig.received(side);
        long sent1 = load.sent();
        IngestMetricsSnapshot metrics1 = side == Side.INGEST ? rig.ingestMetrics() : null;
        Map<String, Duration> cpu1 = rig.cpuTimes();
        double seconds = (System.nanoTime() - t0) / 1e9;
        RunStats stats = load.await();
        double rate = (received1 - received0) / seconds;
        if (print) {
            out.printf(
                    Locale.ROOT,
                    "%,9.0f msg/s received (simulator sent %,.0f/s)",
                    rate,
                    (sent1 - sent0) / seconds);
            if (metrics1 != null) {
                IngestMetricsSnapshot.LatencyWindow latency = metrics1.since(metrics0);
                out.printf(
                        Locale.ROOT,
                        "; Kafka acked %,.0f records/s, ack p50 %s ms p99 %s ms",
                        latency.count() / seconds,
                        latency.format(0.5),
                        latency.format(0.99));
            }
            out.printf(
                    "; failures %d; cores: %s%n",
                    stats.failures(), IngestBenchRig.coresUsed(cpu0, cpu1, seconds));
        }
        Thread.sleep(2000); // the closes settle before the next round
        return rate;
    }

    // ---- real-time levels ----

    /** What one level gave one server. */
    record LevelResult(
            int streams,
            Side side,
            double receivedPerSecond,
            long maxLagMs,
            boolean paused,
            IngestMetricsSnapshot.LatencyWindow latency,
            String cores) {

        double expectedPerSecond() {
            return (double) streams * MESSAGES_PER_STREAM_SECOND;
        }

        boolean heldUp() {
            return receivedPerSecond >= 0.95 * expectedPerSecond() && maxLagMs <= 500 && !paused;
        }

        boolean meetsLatencyGoal() {
            return heldUp()
                    && latency != null
                    && latency.count() > 0
                    && latency.fractionWithinMs(P99_GOAL_MS) >= 0.99;
        }
    }

    void levels(List<Integer> levels, Duration window, int bisect) throws Exception {
        out.printf(
                "%n== real time: two-track mu-law streams, 100 messages/s each; ramp-up, 5 s,"
                        + " then a %d s window; bare sink, then ingest, at each level ==%n",
                window.toSeconds());
        List<LevelResult> results = new ArrayList<>();
        int lastMet = 0;
        int firstMissed = 0;
        for (int streams : levels) {
            LevelResult ingest = level(streams, window, results);
            if (!ingest.meetsLatencyGoal()) {
                firstMissed = streams;
                break;
            }
            lastMet = streams;
        }
        for (int step = 0; step < bisect && firstMissed > 0; step++) {
            int streams = ((lastMet + firstMissed) / 2) / 50 * 50;
            if (streams <= lastMet || streams >= firstMissed) {
                break;
            }
            LevelResult ingest = level(streams, window, results);
            if (ingest.meetsLatencyGoal()) {
                lastMet = streams;
            } else {
                firstMissed = streams;
            }
        }
        out.printf(
                "%n%-8s %-9s %12s %12s %8s %7s %9s %9s %9s  %s%n",
                "streams",
                "server",
                "expected/s",
                "received/s",
                "lag ms",
                "paused",
                "p50 ms",
                "p99 ms",
                "<=50 ms",
                "held");
        for (LevelResult r : results) {
            out.printf(
                    Locale.ROOT,
                    "%-8d %-9s %,12.0f %,12.0f %8d %7s %9s %9s %9s  %s%n",
                    r.streams(),
                    r.side().label,
                    r.expectedPerSecond(),
                    r.receivedPerSecond(),
                    r.maxLagMs(),
                    r.side() == Side.INGEST ? (r.paused() ? "yes" : "no") : "-",
                    r.latency() == null ? "-" : r.latency().format(0.5),
                    r.latency() == null ? "-" : r.latency().format(0.99),
                    r.latency() == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "%.2f%%",
                                    100 * r.latency().fractionWithinMs(P99_GOAL_MS)),
                    r.heldUp() ? "yes" : "NO");
        }
        out.printf(
                "most real-time streams with the ingest holding up and p99 <= 50 ms: %s%s%n",
                lastMet == 0 ? "none of the levels tried" : String.valueOf(lastMet),
                firstMissed > 0 ? " (missed at " + firstMissed + ")" : " (highest level tried)");
    }

    /** Runs one level against the sink, then the ingest; returns the ingest's result. */
    private LevelResult level(int streams, Duration window, List<LevelResult> results)
            throws Exception {
        LevelResult ingest = null;
        for (Side side : List.of(Side.SINK, Side.INGEST)) {
            LevelResult r = levelRun(streams, side, window);
            results.add(r);
            out.printf(
                    Locale.ROOT,
                    "%5d streams %-9s received %,9.0f/s of %,9.0f; lag max %d ms%s; %s; cores:"
                            + " %s%n",
                    streams,
                    side.label,
                    r.receivedPerSecond(),
                    r.expectedPerSecond(),
                    r.maxLagMs(),
                    r.latency() == null
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "; ack p50 %s ms p99 %s ms, %.2f%% within 50 ms%s",
                                    r.latency().format(0.5),
                                    r.latency().format(0.99),
                                    100 * r.latency().fractionWithinMs(P99_GOAL_MS),
                                    r.paused() ? ", reading PAUSED" : ""),
                    r.heldUp() ? "held" : "NOT held",
                    r.cores());
            ingest = r;
        }
        return ingest;
    }

    private LevelResult levelRun(int streams, Side side, Duration window) throws Exception {
        Duration rampUp = Duration.ofSeconds(Math.max(10, streams / 100));
        Duration settle = Duration.ofSeconds(5);
        Duration duration = rampUp.plus(settle).plus(window).plusSeconds(1);
        IngestBenchLoad load =
                IngestBenchLoad.start(
                        rig.url(side),
                        streams,
                        duration,
                        rampUp,
                        duration.plusMinutes(1),
                        "normal=100",
                        true);
        Thread.sleep(rampUp.plus(settle).toMillis());
        load.markWindow();
        long received0 = rig.received(side);
        IngestMetricsSnapshot metrics0 = side == Side.INGEST ? rig.ingestMetrics() : null;
        Map<String, Duration> cpu0 = rig.cpuTimes();
        long t0 = System.nanoTime();
        long end = t0 + window.toNanos();
        boolean paused = false;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            if (side == Side.INGEST) {
                paused |= rig.ingestMetrics().readingPaused();
            }
        }
        long received1 = rig.received(side);
        IngestMetricsSnapshot metrics1 = side == Side.INGEST ? rig.ingestMetrics() : null;
        Map<String, Duration> cpu1 = rig.cpuTimes();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long lag = load.maxLagMsInWindow();
        load.await();
        Thread.sleep(3000); // the closes settle before the next run
        return new LevelResult(
                streams,
                side,
                (received1 - received0) / seconds,
                lag,
                paused,
                metrics1 == null ? null : metrics1.since(metrics0),
                IngestBenchRig.coresUsed(cpu0, cpu1, seconds));
    }
}
