package io.callpulse.ingest;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Keeps what a protocol handler emits, in order, for assertions. Written from the server's threads
 * and read from the test's: the lists are safe to read at any time (each read sees a consistent
 * copy), and {@link #await} waits for what another thread is about to write.
 */
public final class CollectingSink implements RecordSink {

    public final List<AudioRecord> audio = new CopyOnWriteArrayList<>();
    public final List<StreamEvent> events = new CopyOnWriteArrayList<>();
    public final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

    /** Everything, in the order it came: audio records, events and dead letters together. */
    public final List<Object> inOrder = new CopyOnWriteArrayList<>();

    @Override
    public void audio(AudioRecord record) {
        audio.add(record);
        inOrder.add(record);
    }

    @Override
    public void event(StreamEvent event) {
        events.add(event);
        inOrder.add(event);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
        inOrder.add(deadLetter);
    }

    public List<AudioRecord> audio(Track track) {
        return audio.stream().filter(record -> record.track() == track).toList();
    }

    public List<StreamEvent> events(String type) {
        return events.stream().filter(event -> event.type().equals(type)).toList();
    }

    /** Waits up to {@code patience} for {@code condition}, checking every 10 ms. */
    public static void await(BooleanSupplier condition, Duration patience, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + patience + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Waits up to ten seconds for an event of {@code type}, and returns the first. */
    public StreamEvent awaitEvent(String type) throws InterruptedException {
        await(() -> !events(type).isEmpty(), Duration.ofSeconds(10), "a " + type + " event");
        return events(type).get(0);
    }
}
