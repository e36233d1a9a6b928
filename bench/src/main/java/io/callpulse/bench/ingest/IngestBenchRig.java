package io.callpulse.bench.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The processes of an ingest benchmark, each in its own JVM: the Kafka broker, the ingest, and (for
 * comparisons) the bare counting sink; the simulator runs in the benchmark's own JVM. Gives each
 * server's message count, the ingest's metrics and heap, and every process's CPU time.
 */
final class IngestBenchRig implements AutoCloseable {

    /** Which server a load goes to. */
    enum Side {
        SINK("bare sink"),
        INGEST("ingest");

        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final List<IngestBenchChild> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private IngestBenchChild broker;
    private IngestBenchChild ingest;
    private IngestBenchChild sink;
    private int ingestStreamPort;
    private int ingestHttpPort;
    private int sinkPort;

    /**
     * @param heap each server JVM's -Xmx, e.g. 1g
     * @param withSink whether to start the bare sink too
     * @param jfrDir where the ingest, the broker and the sink write flight recordings, or {@code
     *     null} for none
     */
    static IngestBenchRig start(String heap, boolean withSink, Path logDir, Path jfrDir)
            throws IOException {
        IngestBenchRig rig = new IngestBenchRig();
        Runtime.getRuntime().addShutdownHook(new Thread(rig::close, "bench-rig-stop"));
        try {
            rig.broker =
                    rig.child(
                            "broker", IngestBenchBrokerMain.class, heap, List.of(), logDir, jfrDir);
            String bootstrap = rig.broker.readyAnswer();
            rig.ingest =
                    rig.child(
                            "ingest",
                            IngestBenchServerMain.class,
                            heap,
                            List.of(bootstrap),
                            logDir,
                            jfrDir);
            String[] ports = rig.ingest.readyAnswer().split(" ");
            rig.ingestStreamPort = Integer.parseInt(ports[0]);
            rig.ingestHttpPort = Integer.parseInt(ports[1]);
            if (withSink) {
                rig.sink =
                        rig.child(
                                "sink", IngestBenchSinkMain.class, heap, List.of(), logDir, jfrDir);
                rig.sinkPort = Integer.parseInt(rig.sink.readyAnswer());
            }
        } catch (IOException | RuntimeException e) {
            rig.close();
            throw e;
        }
        return rig;
    }

    private IngestBenchChild child(
            String name, Class<?> main, String heap, List<String> args, Path logDir, Path jfrDir)
            throws IOException {
        List<String> options = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap));
        if (jfrDir != null) {
            options.add(
                    "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                            + jfrDir.resolve(name + ".jfr"));
        }
        IngestBenchChild child =
                IngestBenchChild.start(name, main, options, args, logDir, Duration.ofSeconds(120));
        children.add(child);
        return child;
    }

    URI url(Side side) {
        int port = side == Side.SINK ? sinkPort : ingestStreamPort;
        return URI.create("ws://127.0.0.1:" + port + "/stream");
    }

    /** Messages the server has received so far. */
    long received(Side side) {
        if (side == Side.SINK) {
            return Long.parseLong(sink.request("count", ANSWER_TIMEOUT).split(" ")[0]);
        }
        return ingestMetrics().streamMessages();
    }

    IngestMetricsSnapshot ingestMetrics() {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + ingestHttpPort + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build();
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "ingest /metrics answered " + response.statusCode());
            }
            return IngestMetricsSnapshot.parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("ingest /metrics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The ingest's heap in use after a full collection, in bytes. */
    long ingestHeapAfterGc() {
        return Long.parseLong(ingest.request("heap", ANSWER_TIMEOUT).split(" ")[0]);
    }

    /** CPU time of every process so far: the simulator (this JVM), then each child. */
    Map<String, Duration> cpuTimes() {
        Map<String, Duration> times = new LinkedHashMap<>();
        times.put(
                "simulator",
                ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
        for (IngestBenchChild child : children) {
            times.put(child.name(), child.cpuTime());
        }
        return times;
    }

    /** Cores each process used between two {@link #cpuTimes()}, e.g. "simulator 0.91, ...". */
    static String coresUsed(Map<String, Duration> before, Map<String, Duration> after, double s) {
        StringBuilder out = new StringBuilder();
        double total = 0;
        for (var entry : after.entrySet()) {
            double cores =
                    (entry.getValue().toNanos() - before.get(entry.getKey()).toNanos()) / 1e9 / s;
            total += cores;
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(entry.getKey()).append(String.format(Locale.ROOT, " %.2f", cores));
        }
        return out.append(String.format(Locale.ROOT, " (sum %.2f)", total)).toString();
    }

    String layout() {
        StringBuilder out = new StringBuilder("simulator pid " + ProcessHandle.current().pid());
        for (IngestBenchChild child : children) {
            out.append(", ").append(child.name()).append(" pid ").append(child.pid());
        }
        return out.toString();
    }

    @Override
    public synchronized void close() {
        // the ingest first, so that it flushes to a broker that is still there
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
        children.clear();
    }
}
