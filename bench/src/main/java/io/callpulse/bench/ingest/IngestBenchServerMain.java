package io.callpulse.bench.ingest;

import io.callpulse.ingest.IngestConfig;
import io.callpulse.ingest.IngestServer;
import io.callpulse.records.TopicNames;
import java.util.Map;

/**
 * The ingest under test in its own JVM, started as the service starts it ({@code IngestMain}: the
 * same server, unsigned, the default buffer), on free ports. Answers {@code @ready <stream port>
 * <http port>}, and {@code heap}; stops (closing its streams and flushing Kafka) when its standard
 * input ends.
 *
 * <p>Argument: the Kafka bootstrap servers.
 */
public final class IngestBenchServerMain {

    private IngestBenchServerMain() {}

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-ingest.xml");
        }
        IngestServer server =
                IngestServer.start(
                        IngestConfig.local("127.0.0.1", 0, 0, args[0], TopicNames.defaults()));
        try {
            IngestBenchChild.serve(server.streamPort() + " " + server.httpPort(), Map.of());
        } finally {
            server.close();
        }
        System.exit(0);
    }
}
