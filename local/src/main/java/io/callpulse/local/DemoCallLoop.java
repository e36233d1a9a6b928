package io.callpulse.local;

import io.callpulse.simulator.DemoCalls;
import io.callpulse.simulator.PlivoStreamPlayer;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Plays demo calls in real time, one after another, until closed. */
final class DemoCallLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCallLoop.class);

    private final Thread thread;

    DemoCallLoop(URI streamEndpoint) {
        this.thread =
                new Thread(
                        () -> {
                            try {
                                while (!Thread.currentThread().isInterrupted()) {
                                    PlivoStreamPlayer.play(
                                            streamEndpoint,
                                            DemoCalls.scriptedConversation(),
                                            System.currentTimeMillis(),
                                            PlivoStreamPlayer.Pacing.REAL_TIME);
                                    Thread.sleep(1_000);
                                }
                            } catch (InterruptedException e) {
                                // closing
                            } catch (RuntimeException e) {
                                LOG.error("demo calls stopped", e);
                            }
                        },
                        "demo-calls");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(5_000);
    }
}
