package io.callpulse.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./bench.sh <benchmark> [options]}: runs one benchmark, which prints its figures (medians
 * of interleaved runs against its baseline, and their ratio). Each benchmark is its own class with
 * a {@code main}; this only names them.
 */
public final class BenchMain {

    /** Benchmark name to the class that runs it, in the order of docs/benchmarks.md. */
    static final Map<String, String> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("job", "io.callpulse.bench.job.JobThroughputBenchmark");
        BENCHMARKS.put("state", "io.callpulse.bench.job.StateSizeBenchmark");
        BENCHMARKS.put("ingest", "io.callpulse.bench.ingest.IngestThroughputBenchmark");
        BENCHMARKS.put("ingest-memory", "io.callpulse.bench.ingest.IngestMemoryBenchmark");
        BENCHMARKS.put("end-to-end", "io.callpulse.bench.endtoend.EndToEndLatencyBenchmark");
    }

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
            System.err.println("usage: ./bench.sh <benchmark> [options]   (<benchmark> --help)");
            System.err.println("benchmarks: " + String.join(", ", BENCHMARKS.keySet()));
            System.exit(args.length == 0 || args[0].equals("--help") ? 0 : 2);
        }
        Class<?> benchmark;
        try {
            benchmark = Class.forName(BENCHMARKS.get(args[0]));
        } catch (ClassNotFoundException e) {
            System.err.println(args[0] + ": not built in this version");
            System.exit(2);
            return;
        }
        Method main = benchmark.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            // a bad option, whichever benchmark and whenever it is read: said in one line
            if (e.getCause() instanceof IllegalArgumentException bad) {
                System.err.println(args[0] + ": " + bad.getMessage());
                System.err.println("try ./bench.sh " + args[0] + " --help");
                System.exit(2);
            }
            throw e;
        }
    }
}
