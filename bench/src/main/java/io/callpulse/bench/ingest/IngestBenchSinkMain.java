package io.callpulse.bench.ingest;

import io.callpulse.simulator.SinkServer;
import java.util.Map;

/**
 * The baseline in its own JVM: the simulator's bare counting Java-WebSocket server ({@code
 * SimulatorMain --sink-server}), on a free port. Answers {@code @ready <port>}, {@code count}
 * (messages received so far) and {@code heap}; stops when its standard input ends.
 */
public final class IngestBenchSinkMain {

    private IngestBenchSinkMain() {}

    public static void main(String[] args) throws Exception {
        SinkServer sink = new SinkServer(0, 0);
        sink.start();
        try {
            IngestBenchChild.serve(
                    String.valueOf(sink.webSocketPort()),
                    Map.of("count", () -> sink.messages() + " " + sink.open()));
        } finally {
            sink.close();
        }
        System.exit(0);
    }
}
