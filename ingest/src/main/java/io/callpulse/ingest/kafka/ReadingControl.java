package io.callpulse.ingest.kafka;

/**
 * Backpressure towards the sockets: the publisher pauses reading when too many bytes wait for
 * Kafka's acknowledgement, and resumes when they have drained.
 */
public interface ReadingControl {

    void pauseReading();

    void resumeReading();

    boolean readingPaused();

    /** For an ingest without sockets (tests of the publisher alone). */
    ReadingControl NONE =
            new ReadingControl() {
                private volatile boolean paused;

                @Override
                public void pauseReading() {
                    paused = true;
                }

                @Override
                public void resumeReading() {
                    paused = false;
                }

                @Override
                public boolean readingPaused() {
                    return paused;
                }
            };
}
