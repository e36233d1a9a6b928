package io.callpulse.bench.job;

import io.callpulse.bench.support.BenchOptions;
import io.callpulse.bench.support.CpuUsage;
import io.callpulse.bench.support.Medians;
import io.callpulse.bench.support.ThreadCpu;
import io.callpulse.job.CallpulseJob;
import io.callpulse.job.JobSettings;
import io.callpulse.kafka.EmbeddedKafkaBroker;
import io.callpulse.records.TopicNames;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./bench.sh job}: the callpulse job against a pass-through job over the same prepared
 * {@code callpulse.audio} topic, for records of one 20 ms media message each and for records that
 * join several. Both run on a MiniCluster in this JVM, beside an embedded Kafka broker, one after
 * the other, round after round; it prints every run, the medians and their ratio.
 *
 * <p>A run is timed from the first record its audio source emits to the moment its keyed operator
 * (the job's per-stream analysis, the pass-through's discarding sink) has taken in every record of
 * the topic, read from Flink's own operator counters; job start-up is printed apart. The job runs
 * as {@link CallpulseJob#configure} builds it, with its defaults (learned VAD, 1 s windows and
 * checkpoints, exactly-once Kafka outputs); each run reads the topic from the start under a new
 * consumer group and is cancelled once it has taken in everything.
 */
public final class JobThroughputBenchmark {

    /** The operator of the job that takes in every audio record, after the key-by. */
    static final String JOB_KEYED_OPERATOR = "per-stream analysis";

    /** A run that takes longer than this has failed. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    private static final int THREADS_SHOWN = 6;

    /** The share of a run's records that the steady rate leaves out. */
    static final int RAMP_UP_PERCENT = 20;

    /** The goals the benchmark checks. */
    static final double RATIO_GOAL = 0.5;

    static final double TRACK_SECONDS_GOAL = 10_000;

    enum Shape {
        PER_FRAME("per-frame", 1),
        BATCHED("batched", 5);

        final String label;
        final int chunksPerRecord;

        Shape(String label, int chunksPerRecord) {
            this.label = label;
            this.chunksPerRecord = chunksPerRecord;
        }
    }

    enum Side {
        JOB("job"),
        PASS_THROUGH("pass-through");

        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    record Options(
            int perFrameCalls,
            int batchedCalls,
            int callSeconds,
            int batchChunks,
            int rounds,
            int parallelism,
            List<Shape> shapes,
            List<String> jobArguments,
            Path profileDir) {

        static final String HELP =
                """
                ./bench.sh job [options]
                  The callpulse job against a pass-through job (KafkaSource -> keyBy StreamID ->
                  discard) over the same prepared callpulse.audio topic, interleaved, per shape:
                  per-frame (one record per 20 ms media message) and batched (messages joined).
                  Prints every run, medians, the ratio job / pass-through, track-seconds of audio
                  analysed per wall second and the two-track calls that rate sustains in real time.

                  --calls-per-frame N   calls in the per-frame topic (default 100)
                  --calls-batched N     calls in the batched topic (default 400)
                  --call-seconds S      length of every call (default 60)
                  --batch-chunks N      20 ms messages joined per batched record (default 5)
                  --rounds R            job and pass-through runs per shape (default 5)
                  --parallelism P       MiniCluster parallelism of both jobs (default 2)
                  --shapes LIST         per-frame,batched (default both)
                  --vad learned|energy  the job's voice activity detector (default: the job's)
                  --profile DIR         record each job run with JFR into DIR and print the
                                        hottest frames and threads of the job runs
                """;

        static Options fromArgs(String[] args) {
            BenchOptions params =
                    BenchOptions.parse(
                            args,
                            Set.of(
                                    "calls-per-frame",
                                    "calls-batched",
                                    "call-seconds",
                                    "batch-chunks",
                                    "rounds",
                                    "parallelism",
                                    "shapes",
                                    "vad",
                                    "profile"),
                            Set.of("help"));
            List<Shape> shapes = new ArrayList<>();
            for (String name : params.string("shapes", "per-frame,batched").split(",")) {
                shapes.add(
                        switch (name.trim()) {
                            case "per-frame" -> Shape.PER_FRAME;
                            case "batched" -> Shape.BATCHED;
                            default ->
                                    throw new IllegalArgumentException(
                                            "--shapes: expected per-frame and/or batched, found '"
                                                    + name
                                                    + "'");
                        });
            }
            List<String> jobArguments = new ArrayList<>();
            if (params.string("vad", null) != null) {
                jobArguments.addAll(List.of("--vad", params.string("vad", null)));
            }
            return new Options(
                    params.positiveInt("calls-per-frame", 100),
                    params.positiveInt("calls-batched", 400),
                    params.positiveInt("call-seconds", 60),
                    params.positiveInt("batch-chunks", 5),
                    params.positiveInt("rounds", 5),
                    params.positiveInt("parallelism", 2),
                    List.copyOf(shapes),
                    List.copyOf(jobArguments),
                    params.string("profile", null) == null
                            ? null
                            : Path.of(params.string("profile", null)));
        }

        int calls(Shape shape) {
            return shape == Shape.PER_FRAME ? perFrameCalls : batchedCalls;
        }

        int chunksPerRecord(Shape shape) {
            return shape == Shape.PER_FRAME ? 1 : batchChunks;
        }
    }

    /** One timed run. */
    record Run(
            Shape shape,
            Side side,
            int round,
            long records,
            double trackSeconds,
            double startupSeconds,
            double seconds,
            double steadySeconds,
            CpuUsage cpu,
            Map<String, Long> threadCpuNanos,
            AtomicLong metricsOffsetsWritten) {

        double recordsPerSecond() {
            return records / seconds;
        }

        double trackSecondsPerSecond() {
            return trackSeconds / seconds;
        }

        /**
         * Records per second after the first {@value #RAMP_UP_PERCENT} % of them: without the
         * ramp-up (the first fetches, the streams' state being created, code compiled the first
         * time).
         */
        double steadyRecordsPerSecond() {
            return records * (100 - RAMP_UP_PERCENT) / 100.0 / steadySeconds;
        }

        double jvmCpuMicrosPerRecord() {
            return cpu.thisJvmCores() * seconds * 1e6 / records;
        }

        /** This JVM's CPU time per second of audio of one track. */
        double jvmCpuMicrosPerTrackSecond() {
            return cpu.thisJvmCores() * seconds * 1e6 / trackSeconds;
        }
    }

    private JobThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(Options.HELP);
            return;
        }
        Options options;
        try {
            options = Options.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(Options.HELP);
            System.exit(2);
            return;
        }
        if (options.profileDir() != null) {
            Files.createDirectories(options.profileDir());
        }
        System.out.printf(
                Locale.ROOT,
                "job throughput: %s, %d cores, Java %s, max heap %d MB, load average %s%n",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                CpuUsage.loadAverage());
        System.out.printf(
                Locale.ROOT,
                "in this JVM: the Kafka broker (KRaft), the MiniCluster (parallelism %d) running"
                        + " one job at a time; job arguments: defaults%s%n",
                options.parallelism(),
                options.jobArguments().isEmpty() ? "" : " and " + options.jobArguments());
        Map<Shape, List<Run>> runs = new EnumMap<>(Shape.class);
        for (Shape shape : options.shapes()) {
            runs.put(shape, runShape(shape, options));
        }
        System.out.println();
        System.out.println("summary (medians)");
        for (var entry : runs.entrySet()) {
            printSummary(entry.getKey(), entry.getValue());
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", CpuUsage.loadAverage());
    }

    private static List<Run> runShape(Shape shape, Options options) throws Exception {
        // media times a while in the past, so the broker's retention keeps the records and
        // its limit on timestamps in the future never applies
        long startEpochMs = (System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1)) / 1000 * 1000;
        ConcurrentCalls calls =
                new ConcurrentCalls(
                        options.calls(shape),
                        options.callSeconds(),
                        options.chunksPerRecord(shape),
                        startEpochMs);
        System.out.printf(
                Locale.ROOT,
                "%n%s: %d two-track calls of %d s (speech-like, mu-law 8 kHz), %d chunk(s) of"
                        + " 20 ms per record: %,d records, %,.0f track-seconds%n",
                shape.label,
                calls.calls(),
                options.callSeconds(),
                options.chunksPerRecord(shape),
                calls.recordCount(),
                calls.trackSeconds());
        TopicNames topics = TopicNames.defaults();
        List<Run> runs = new ArrayList<>();
        JfrSummary profile = options.profileDir() == null ? null : new JfrSummary();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            // two partitions, as the local stack has: both parallel readers have work
            broker.createTopics(topics.all(), 2);
            AudioTopic.Prepared prepared =
                    AudioTopic.fill(broker.bootstrapServers(), topics, calls);
            System.out.printf(
                    Locale.ROOT,
                    "  %s prepared through the ingest's publisher in %.1f s (%,d records,"
                            + " paused %d times for its buffer limit)%n",
                    topics.audio(),
                    prepared.seconds(),
                    prepared.records(),
                    prepared.pauses());
            for (int round = 1; round <= options.rounds(); round++) {
                for (Side side : Side.values()) {
                    Run run =
                            runOnce(
                                    shape,
                                    side,
                                    round,
                                    broker.bootstrapServers(),
                                    calls,
                                    options,
                                    profile);
                    runs.add(run);
                    System.out.printf(
                            Locale.ROOT,
                            "  round %d %-12s %,9d records in %6.2f s (start-up %4.1f s):"
                                    + " %,9.0f records/s %,8.0f track-s/s (after the first"
                                    + " %d %%: %,9.0f records/s); %s%n",
                            round,
                            side.label,
                            run.records(),
                            run.seconds(),
                            run.startupSeconds(),
                            run.recordsPerSecond(),
                            run.trackSecondsPerSecond(),
                            RAMP_UP_PERCENT,
                            run.steadyRecordsPerSecond(),
                            run.cpu());
                    System.out.println("    CPU per record: " + cpuPerRecord(run));
                    if (side == Side.JOB) {
                        System.out.printf(
                                Locale.ROOT,
                                "    window metrics the job wrote to %s: %,d offsets%n",
                                topics.metrics(),
                                run.metricsOffsetsWritten().get());
                    }
                }
            }
        }
        if (profile != null) {
            profile.print(shape.label + " job", System.out);
        }
        return runs;
    }

    private static Run runOnce(
            Shape shape,
            Side side,
            int round,
            String bootstrapServers,
            ConcurrentCalls calls,
            Options options,
            JfrSummary profile)
            throws Exception {
        // a clean heap for every run: garbage of the one before is not collected on its time
        System.gc();
        OperatorCounters.reset();
        String groupId =
                "bench-" + side.name().toLowerCase(Locale.ROOT) + "-" + shape + "-" + round;
        List<String> arguments =
                new ArrayList<>(
                        List.of("--bootstrap-servers", bootstrapServers, "--group-id", groupId));
        arguments.addAll(options.jobArguments());
        JobSettings settings = JobSettings.fromArgs(arguments.toArray(String[]::new));
        Configuration config = new Configuration();
        OperatorCounters.configure(config);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(options.parallelism(), config);
        String keyedOperator;
        if (side == Side.JOB) {
            CallpulseJob.configure(env, settings);
            keyedOperator = JOB_KEYED_OPERATOR;
        } else {
            PassThroughJob.build(env, settings);
            keyedOperator = PassThroughJob.SINK_NAME;
        }
        JfrSummary.Recording recording =
                side == Side.JOB && profile != null
                        ? profile.start(
                                options.profileDir()
                                        .resolve("job-" + shape.label + "-" + round + ".jfr"))
                        : null;
        long expected = calls.recordCount();
        long metricsBefore = AudioTopic.endOffsetSum(bootstrapServers, settings.topics().metrics());
        AtomicLong metricsWritten = new AtomicLong();
        long submitted = System.nanoTime();
        JobClient client = OperatorCounters.whileStarting(() -> env.executeAsync(groupId));
        try {
            long first = -1;
            long rampedUp = -1;
            CpuUsage.Snapshot cpuAtFirst = null;
            ThreadCpu threadsAtFirst = null;
            long nextStatusCheck = submitted;
            while (true) {
                long now = System.nanoTime();
                if (first < 0
                        && Math.max(
                                        OperatorCounters.sum(
                                                PassThroughJob.SOURCE_OPERATOR, "numRecordsOut"),
                                        OperatorCounters.sum(
                                                PassThroughJob.SOURCE_OPERATOR, "numRecordsIn"))
                                > 0) {
                    first = now;
                    cpuAtFirst = CpuUsage.snapshot();
                    threadsAtFirst = ThreadCpu.snapshot();
                    if (recording != null) {
                        recording.markStart();
                    }
                }
                long taken = OperatorCounters.sum(keyedOperator, "numRecordsIn");
                if (rampedUp < 0 && taken >= expected * RAMP_UP_PERCENT / 100) {
                    rampedUp = now;
                }
                if (first >= 0 && taken >= expected) {
                    CpuUsage cpu = cpuAtFirst.untilNow();
                    Map<String, Long> threadCpu = threadsAtFirst.untilNow();
                    if (recording != null) {
                        recording.markEnd();
                    }
                    return new Run(
                            shape,
                            side,
                            round,
                            expected,
                            calls.trackSeconds(),
                            (first - submitted) / 1e9,
                            (now - first) / 1e9,
                            (now - rampedUp) / 1e9,
                            cpu,
                            threadCpu,
                            metricsWritten);
                }
                if (now - submitted > RUN_TIMEOUT.toNanos()) {
                    throw new IllegalStateException(
                            String.format(
                                    "%s %s round %d: %d of %d records taken in by %s after %s;"
                                            + " operator counters seen: %s",
                                    shape.label,
                                    side.label,
                                    round,
                                    taken,
                                    expected,
                                    keyedOperator,
                                    RUN_TIMEOUT,
                                    OperatorCounters.operatorsSeen()));
                }
                if (now >= nextStatusCheck) {
                    if (client.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                        throw new IllegalStateException(
                                shape.label
                                        + " "
                                        + side.label
                                        + " round "
                                        + round
                                        + ": the job ended before it had taken in every record");
                    }
                    nextStatusCheck = now + TimeUnit.MILLISECONDS.toNanos(500);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        } finally {
            if (recording != null) {
                recording.stop();
            }
            stop(client);
            // evidence that the job did its work: its windows went to Kafka (the offsets
            // include the transactions' markers, and records of the transaction the cancel
            // aborted)
            metricsWritten.set(
                    AudioTopic.endOffsetSum(bootstrapServers, settings.topics().metrics())
                            - metricsBefore);
        }
    }

    /**
     * This JVM's CPU time per record, split over the threads that used most of it (the JIT compiler
     * and the garbage collector among them); what no thread accounts for went to threads that ended
     * during the run.
     */
    private static String cpuPerRecord(Run run) {
        double jvmMicros = run.jvmCpuMicrosPerRecord();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%.1f µs in this JVM =", jvmMicros));
        double shownMicros = 0;
        double allThreadsMicros = 0;
        int shown = 0;
        for (var entry : run.threadCpuNanos().entrySet()) {
            double micros = entry.getValue() / 1000.0 / run.records();
            allThreadsMicros += micros;
            if (shown++ >= THREADS_SHOWN) {
                continue;
            }
            shownMicros += micros;
            String name = entry.getKey();
            // "per-stream analysis -> (metrics: Writer -> ...) (N/N)#N": the head operator
            int cut = name.indexOf(" -> ");
            name = cut > 0 ? name.substring(0, cut) + " ->..." : name;
            out.append(String.format(Locale.ROOT, " %s %.1f +", name, micros));
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        " other threads %.1f + ended threads %.1f",
                        allThreadsMicros - shownMicros,
                        Math.max(0, jvmMicros - allThreadsMicros)));
        return out.toString();
    }

    private static void stop(JobClient client) throws Exception {
        try {
            client.cancel().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already over
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (client.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    break;
                }
            } catch (Exception e) {
                // the MiniCluster is gone with the job
                break;
            }
            Thread.sleep(50);
        }
        // the MiniCluster of a job shuts down after it; let it finish before the next run
        Thread.sleep(1000);
    }

    private static void printSummary(Shape shape, List<Run> runs) {
        Map<Side, List<Run>> bySide = new EnumMap<>(Side.class);
        for (Run run : runs) {
            bySide.computeIfAbsent(run.side(), s -> new ArrayList<>()).add(run);
        }
        List<Run> job = bySide.getOrDefault(Side.JOB, List.of());
        List<Run> pass = bySide.getOrDefault(Side.PASS_THROUGH, List.of());
        if (job.isEmpty() || pass.isEmpty()) {
            return;
        }
        double jobRecords = median(job, Run::recordsPerSecond);
        double passRecords = median(pass, Run::recordsPerSecond);
        double jobTrackSeconds = median(job, Run::trackSecondsPerSecond);
        double ratio = Medians.of(pairedRatios(job, pass, Run::recordsPerSecond));
        double jobCpuPerTrackSecond = median(job, Run::jvmCpuMicrosPerTrackSecond);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                Locale.ROOT,
                "  %s: job %,.0f records/s, %,.0f track-s/s (%,.0f two-track calls in real"
                        + " time); pass-through %,.0f records/s, %,.0f track-s/s%n",
                shape.label,
                jobRecords,
                jobTrackSeconds,
                jobTrackSeconds / 2,
                passRecords,
                median(pass, Run::trackSecondsPerSecond));
        System.out.printf(
                Locale.ROOT,
                "    job / pass-through: %.3f (median of %d rounds' ratios; ratio of medians"
                        + " %.3f): goal >= %.2f %s%n",
                ratio,
                Math.min(job.size(), pass.size()),
                jobRecords / passRecords,
                RATIO_GOAL,
                ratio >= RATIO_GOAL ? "met" : "MISSED");
        System.out.printf(
                Locale.ROOT,
                "    track-seconds analysed per wall second: %,.0f: goal >= %,.0f %s%n",
                jobTrackSeconds,
                TRACK_SECONDS_GOAL,
                jobTrackSeconds >= TRACK_SECONDS_GOAL ? "met" : "MISSED");
        double jobSteady = median(job, Run::steadyRecordsPerSecond);
        System.out.printf(
                Locale.ROOT,
                "    after the first %d %% of each run: job %,.0f records/s (%,.0f track-s/s),"
                        + " pass-through %,.0f records/s; job / pass-through %.3f%n",
                RAMP_UP_PERCENT,
                jobSteady,
                jobSteady * job.get(0).trackSeconds() / job.get(0).records(),
                median(pass, Run::steadyRecordsPerSecond),
                Medians.of(pairedRatios(job, pass, Run::steadyRecordsPerSecond)));
        System.out.printf(
                Locale.ROOT,
                "    the job's JVM (with the broker) spent %.0f µs of CPU per track-second:"
                        + " %d whole cores would carry at most %,.0f track-s/s%n",
                jobCpuPerTrackSecond,
                cores,
                cores * 1e6 / jobCpuPerTrackSecond);
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> of) {
        return Medians.of(runs.stream().map(run -> of.applyAsDouble(run)).toList());
    }

    /** The job's rate over the pass-through's, round by round. */
    private static List<Double> pairedRatios(
            List<Run> job, List<Run> pass, ToDoubleFunction<Run> rate) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(job.size(), pass.size()); i++) {
            ratios.add(rate.applyAsDouble(job.get(i)) / rate.applyAsDouble(pass.get(i)));
        }
        return ratios;
    }
}
