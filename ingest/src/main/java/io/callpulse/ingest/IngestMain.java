package io.callpulse.ingest;

import java.util.concurrent.CountDownLatch;

/** Runs the ingest as a service until the process is told to stop. */
public final class IngestMain {

    private IngestMain() {}

    public static void main(String[] args) throws InterruptedException {
        // before the first logger: the service's own logging unless the operator chose another
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-ingest.xml");
        }
        IngestServer server = IngestServer.start(IngestConfig.fromEnvironment());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                },
                                "ingest-shutdown"));
        stopped.await();
    }
}
