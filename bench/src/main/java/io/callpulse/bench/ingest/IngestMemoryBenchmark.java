package io.callpulse.bench.ingest;

import io.callpulse.bench.support.BenchOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./bench.sh ingest-memory}: the ingest's heap per connection, and whether its heap stays
 * flat over a long real-time run (docs/benchmarks.md, "Ingest memory").
 *
 * <ol>
 *   <li>Per connection: the ingest's heap in use after a full collection with K connections open
 *       against the same with none, divided by K; for idle streams (started, no media) and for
 *       real-time two-track streams; several rounds, medians.
 *   <li>Soak: N real-time streams (calls of 2 minutes, each replaced when it ends) for a duration,
 *       the heap after a full collection every 10 s; its least-squares slope, and a verdict.
 * </ol>
 */
public final class IngestMemoryBenchmark {

    static final String HELP =
            """
usage: ./bench.sh ingest-memory [options]

The ingest's heap per connection, and a soak at a steady real-time load. Processes: the
simulator in this JVM; the Kafka broker (embedded KRaft) and the ingest each in a JVM of
their own, all on this machine. The heap is read in the ingest's JVM after System.gc()
(a full collection).

  --idle N             idle streams (start, then nothing) for the per-connection figure
                       (default 2000)
  --streaming N        real-time two-track streams for the per-connection figure (default 250)
  --rounds N           per-connection rounds (default 3)
  --soak-streams N     real-time two-track streams during the soak (default 500)
  --soak D             soak duration after the ramp-up (default 10m)
  --sample-every D     heap sample interval during the soak (default 10s)
  --settle D           the verdict fits the samples after D: by then the first calls have
                       ended and been replaced, the steady state (default 3m)
  --flat-percent P     the heap counts as flat when the fitted growth of its floor (each
                       minute's lowest sample) after --settle is under P % of its median
                       (default 2)
  --heap SIZE          -Xmx/-Xms of the broker and ingest JVMs (default 1g)
  --skip-per-connection
  --skip-soak
  --help               this text
""";

    static final Set<String> VALUED =
            Set.of(
                    "idle",
                    "streaming",
                    "rounds",
                    "soak-streams",
                    "soak",
                    "sample-every",
                    "flat-percent",
                    "settle",
                    "heap");
    static final Set<String> FLAGS = Set.of("skip-per-connection", "skip-soak", "help");

    private final PrintStream out;
    private final IngestBenchRig rig;

    private IngestMemoryBenchmark(PrintStream out, IngestBenchRig rig) {
        this.out = out;
        this.rig = rig;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parseOrHelp(args, VALUED, FLAGS, HELP);
        double flatPercent;
        try {
            flatPercent = Double.parseDouble(options.string("flat-percent", "2"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--flat-percent: expected a number, found "
                            + options.string("flat-percent", ""),
                    e);
        }
        PrintStream out = System.out;
        Path logs = Files.createTempDirectory("callpulse-bench-ingest-memory-");
        out.printf(
                "ingest memory benchmark, %s, %d cores, load average %s; process logs in %s%n",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                IngestBenchStats.loadAverage(),
                logs);
        try (IngestBenchRig rig =
                IngestBenchRig.start(options.string("heap", "1g"), false, logs, null)) {
            out.println("processes: " + rig.layout());
            IngestMemoryBenchmark benchmark = new IngestMemoryBenchmark(out, rig);
            benchmark.warmUp();
            if (!options.flag("skip-per-connection")) {
                benchmark.perConnection(
                        options.positiveInt("idle", 2000),
                        options.positiveInt("streaming", 250),
                        options.positiveInt("rounds", 3));
            }
            if (!options.flag("skip-soak")) {
                benchmark.soak(
                        options.positiveInt("soak-streams", 500),
                        options.duration("soak", Duration.ofMinutes(10)),
                        options.duration("sample-every", Duration.ofSeconds(10)),
                        options.duration("settle", Duration.ofMinutes(3)),
                        flatPercent);
            }
        }
        out.printf("load average after: %s%n", IngestBenchStats.loadAverage());
        System.exit(0);
    }

    /** Loads the ingest's classes and compiles its hot paths before anything is measured. */
    private void warmUp() throws Exception {
        IngestBenchLoad load =
                IngestBenchLoad.start(
                        rig.url(IngestBenchRig.Side.INGEST),
                        100,
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(10),
                        "normal=100",
                        true);
        load.await();
        Thread.sleep(2000);
    }

    // ---- per connection ----

    void perConnection(int idle, int streaming, int rounds) throws Exception {
        out.printf(
                "%n== heap per connection: %d idle streams (start only), %d real-time two-track"
                        + " streams; %d rounds ==%n",
                idle, streaming, rounds);
        List<Double> idlePer = new ArrayList<>();
        List<Double> streamingPer = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            idlePer.add(heapPerConnection(round, "idle", idle, "no-media=100"));
            streamingPer.add(heapPerConnection(round, "streaming", streaming, "normal=100"));
        }
        out.printf(
                Locale.ROOT,
                "median heap per connection: idle %,.0f bytes, streaming %,.0f bytes%n",
                IngestBenchStats.median(idlePer),
                IngestBenchStats.median(streamingPer));
    }

    private double heapPerConnection(int round, String kind, int streams, String mix)
            throws Exception {
        long empty = rig.ingestHeapAfterGc();
        Duration rampUp = Duration.ofSeconds(Math.max(10, streams / 100));
        Duration hold = rampUp.plusSeconds(5);
        Duration duration = hold.plusSeconds(10);
        IngestBenchLoad load =
                IngestBenchLoad.start(
                        rig.url(IngestBenchRig.Side.INGEST),
                        streams,
                        duration,
                        rampUp,
                        duration.plusMinutes(1),
                        mix,
                        true);
        Thread.sleep(hold.toMillis());
        long open = rig.ingestMetrics().connectionsOpen();
        long loaded = rig.ingestHeapAfterGc();
        load.await();
        Thread.sleep(3000); // the closes settle
        double per = (double) (loaded - empty) / streams;
        out.printf(
                Locale.ROOT,
                "round %d %-9s heap after GC: %,d bytes with none, %,d with %d open (the ingest"
                        + " counted %d): %,.0f bytes per connection%n",
                round,
                kind,
                empty,
                loaded,
                streams,
                open,
                per);
        if (open != streams) {
            out.printf("  note: %d of %d streams were open when measured%n", open, streams);
        }
        return per;
    }

    // ---- soak ----

    void soak(int streams, Duration soak, Duration every, Duration settle, double flatPercent)
            throws Exception {
        Duration rampUp = Duration.ofSeconds(Math.max(10, streams / 100));
        out.printf(
                "%n== soak: %d real-time two-track streams (2-minute calls, replaced as they end),"
                        + " %d s ramp-up, then %d s; heap after a full GC every %d s ==%n",
                streams, rampUp.toSeconds(), soak.toSeconds(), every.toSeconds());
        IngestBenchLoad load =
                IngestBenchLoad.start(
                        rig.url(IngestBenchRig.Side.INGEST),
                        streams,
                        rampUp.plus(soak),
                        rampUp,
                        Duration.ofMinutes(2),
                        "normal=100",
                        true);
        Thread.sleep(rampUp.toMillis());
        long t0 = System.nanoTime();
        IngestMetricsSnapshot metrics0 = rig.ingestMetrics();
        Map<String, Duration> cpu0 = rig.cpuTimes();
        List<Double> minutes = new ArrayList<>();
        List<Double> heaps = new ArrayList<>();
        long lastReceived = metrics0.streamMessages();
        long lastNanos = t0;
        load.markWindow();
        for (long next = t0 + every.toNanos();
                next <= t0 + soak.toNanos() - Duration.ofSeconds(2).toNanos();
                next += every.toNanos()) {
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            long heap = rig.ingestHeapAfterGc();
            long now = System.nanoTime();
            IngestMetricsSnapshot metrics = rig.ingestMetrics();
            double minute = (now - t0) / 60e9;
            minutes.add(minute);
            heaps.add((double) heap);
            out.printf(
                    Locale.ROOT,
                    "%6.2f min  heap after GC %,12d bytes  open %4d  received %,7.0f msg/s  lag"
                            + " max %d ms%s%n",
                    minute,
                    heap,
                    metrics.connectionsOpen(),
                    (metrics.streamMessages() - lastReceived) / ((now - lastNanos) / 1e9),
                    load.maxLagMsInWindow(),
                    metrics.readingPaused() ? "  reading PAUSED" : "");
            load.markWindow();
            lastReceived = metrics.streamMessages();
            lastNanos = now;
        }
        IngestMetricsSnapshot metrics1 = rig.ingestMetrics();
        Map<String, Duration> cpu1 = rig.cpuTimes();
        double seconds = (System.nanoTime() - t0) / 1e9;
        load.await();
        IngestMetricsSnapshot.LatencyWindow latency = metrics1.since(metrics0);
        out.printf(
                Locale.ROOT,
                "over the soak: received %,.0f msg/s of %,d expected; ack p50 %s ms, p99 %s ms"
                        + " (%.2f%% within 50 ms; the forced GCs included); cores: %s%n",
                (metrics1.streamMessages() - metrics0.streamMessages()) / seconds,
                streams * IngestThroughputBenchmark.MESSAGES_PER_STREAM_SECOND,
                latency.format(0.5),
                latency.format(0.99),
                100 * latency.fractionWithinMs(IngestThroughputBenchmark.P99_GOAL_MS),
                IngestBenchRig.coresUsed(cpu0, cpu1, seconds));
        out.println(verdict(minutes, heaps, settle.toMillis() / 60_000.0, flatPercent));
    }

    /**
     * The heap's least-squares slope over the samples after {@code settleMinutes} (until then the
     * first calls have not all ended and been replaced), and the slope of its floor: the lowest
     * sample of each whole minute. A sample also holds what happened to be in flight at that
     * instant (records on their way to Kafka, the producer's batches), which scatters the samples
     * upwards; what the ingest keeps for good shows in the floor, so the verdict is the floor's:
     * flat when its fitted growth over the span stays under {@code flatPercent} of the median heap.
     */
    static String verdict(
            List<Double> minutes, List<Double> heaps, double settleMinutes, double flatPercent) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        java.util.TreeMap<Integer, Double> floor = new java.util.TreeMap<>();
        for (int i = 0; i < minutes.size(); i++) {
            if (minutes.get(i) >= settleMinutes) {
                x.add(minutes.get(i));
                y.add(heaps.get(i));
                floor.merge((int) Math.floor(minutes.get(i)), heaps.get(i), Math::min);
            }
        }
        if (x.size() < 3 || floor.size() < 3) {
            return "heap verdict: too few samples after "
                    + settleMinutes
                    + " min ("
                    + x.size()
                    + " samples, "
                    + floor.size()
                    + " whole minutes; three of each needed)";
        }
        double[] xs = x.stream().mapToDouble(Double::doubleValue).toArray();
        double[] ys = y.stream().mapToDouble(Double::doubleValue).toArray();
        double slope = IngestBenchStats.slope(xs, ys);
        double error = IngestBenchStats.slopeStandardError(xs, ys);
        double[] fx = floor.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        double[] fy = floor.values().stream().mapToDouble(Double::doubleValue).toArray();
        double floorSlope = IngestBenchStats.slope(fx, fy);
        double span = x.get(x.size() - 1) - x.get(0);
        double median = IngestBenchStats.median(y);
        double floorGrowthPercent = 100 * floorSlope * span / median;
        return String.format(
                Locale.ROOT,
                "heap verdict: slope %,.0f ± %,.0f bytes/min over %.1f min (%d samples); floor"
                        + " (each minute's lowest) %,.0f bytes/min, fitted growth %+.2f%% of the"
                        + " median %,.0f bytes: %s (flat under %.1f%%)",
                slope,
                error,
                span,
                x.size(),
                floorSlope,
                floorGrowthPercent,
                median,
                Math.abs(floorGrowthPercent) < flatPercent ? "FLAT" : "NOT FLAT",
                flatPercent);
    }
}
