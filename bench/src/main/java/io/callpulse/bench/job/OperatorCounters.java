package io.callpulse.bench.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Reads Flink's own per-operator record counters of a job running on a MiniCluster in this JVM,
 * while it runs: when its source emitted the first record, and when its last operator has taken in
 * every record. That times the job and its baseline the same way without adding anything to either
 * dataflow, and without waiting for a checkpoint or a bounded source's end.
 *
 * <p>Flink finds metric reporters through {@link java.util.ServiceLoader} with the thread's context
 * class loader while the MiniCluster starts; {@link #whileStarting} offers this reporter there for
 * the duration of the start, so the benchmark needs no service file of its own.
 */
final class OperatorCounters {

    private static final String REPORTER_NAME = "benchprogress";

    /** Operator name, then metric name, to the counters of its parallel instances. */
    private static final Map<String, List<Counter>> COUNTERS = new ConcurrentHashMap<>();

    private OperatorCounters() {}

    /** Forgets the counters of the previous job. */
    static void reset() {
        COUNTERS.clear();
    }

    /** Adds the reporter to a MiniCluster's configuration. */
    static void configure(Configuration config) {
        config.setString(
                "metrics.reporter." + REPORTER_NAME + ".factory.class", Factory.class.getName());
    }

    /**
     * The sum over the operator's parallel instances; 0 before it is running. A sink's writer is
     * named after the sink with a suffix ({@code "discard: Writer"}): {@code operatorName} also
     * matches that.
     */
    static long sum(String operatorName, String metricName) {
        long sum = 0;
        for (var entry : COUNTERS.entrySet()) {
            String key = entry.getKey();
            if ((key.startsWith(operatorName + '\u0000') || key.startsWith(operatorName + ": "))
                    && key.endsWith('\u0000' + metricName)) {
                for (Counter counter : entry.getValue()) {
                    sum += counter.getCount();
                }
            }
        }
        return sum;
    }

    /** Operators seen so far, for an error message that says what was there instead. */
    static List<String> operatorsSeen() {
        return COUNTERS.keySet().stream().map(key -> key.replace('\u0000', '/')).sorted().toList();
    }

    /**
     * Runs {@code start} (which starts a MiniCluster) with this reporter discoverable by the
     * thread's context class loader.
     */
    static <T> T whileStarting(Callable<T> start) throws Exception {
        Path dir = Files.createTempDirectory("callpulse-bench-reporter-");
        Path service = dir.resolve("META-INF/services/" + MetricReporterFactory.class.getName());
        Files.createDirectories(service.getParent());
        Files.writeString(service, Factory.class.getName() + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader withService =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, previous)) {
            thread.setContextClassLoader(withService);
            return start.call();
        } finally {
            thread.setContextClassLoader(previous);
            deleteQuietly(service);
            deleteQuietly(service.getParent());
            deleteQuietly(service.getParent().getParent());
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** Created by Flink from the configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new Reporter();
        }
    }

    private static final class Reporter implements MetricReporter {
        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
            String operator = group.getAllVariables().get("<operator_name>");
            if (operator != null && metric instanceof Counter counter) {
                COUNTERS.computeIfAbsent(
                                operator + '\u0000' + metricName,
                                key -> new CopyOnWriteArrayList<>())
                        .add(counter);
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
            // the counters are read once more after the job is cancelled; reset() forgets them
        }
    }
}
