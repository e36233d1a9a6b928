package io.callpulse.ingest;

import java.util.concurrent.CountDownLatch;

/** Runs the ingest as a service until the process is told to stop. */
public final class IngestMain {

    private IngestMain() {}

    public static void main(String[] args) throws InterruptedException {
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
