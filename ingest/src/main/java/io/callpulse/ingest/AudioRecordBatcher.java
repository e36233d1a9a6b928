package io.callpulse.ingest;

import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a track's consecutive media messages into one audio record of up to {@code batchMs} of
 * audio. A 20 ms media message is a record of a few hundred bytes, and Kafka and the job then spend
 * most of their time on per-record overhead (headers, batches, deserialisation, keyed state
 * lookups) rather than on audio; five messages in one record cut that overhead fivefold.
 *
 * <p>A message joins the track's pending record when it continues it exactly: the same encoding and
 * rate, the next chunk number ({@code firstChunk + chunkCount}) and a media timestamp within
 * {@value #CONTIGUOUS_TOLERANCE_MS} ms of where the joined audio ends. A gap, a timestamp jump or a
 * change of format writes the pending record and starts another. A chunk numbered below what the
 * track has reached (a duplicate, or one that arrived out of order) is written alone and unchanged,
 * after the pending record, so that the job still sees and counts it where it arrived.
 *
 * <p>A pending record is written when it holds {@code batchMs} of audio, before any event of its
 * stream (events stay ordered after the audio that preceded them), before the end-of-stream marker,
 * by a sweep every {@code batchMs / 4} that writes what has waited {@code batchMs} of wall time (so
 * no audio waits more than about 1.25 × {@code batchMs}), and on {@link #close()}.
 *
 * <p>Thread-safe: the WebSocket workers, the tap's scheduler and the sweep thread each lock only
 * the stream they touch, and write that stream's records while holding its lock, so a stream's
 * records leave in the order they were decided. {@code batchMs} 0 passes every record straight on.
 */
public final class AudioRecordBatcher implements RecordSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AudioRecordBatcher.class);

    public static final String SETTING = "callpulse.ingest.audio.batch.ms";

    public static final int DEFAULT_BATCH_MS = 100;

    /** One second: beyond it the added latency would show on the job's live windows. */
    public static final int MAX_BATCH_MS = 1000;

    /**
     * How far a message's media timestamp may be from where the joined audio ends and still
     * continue it: timestamps are whole milliseconds, and providers round them.
     */
    static final long CONTIGUOUS_TOLERANCE_MS = 2;

    /**
     * A stream without audio this long is forgotten by the sweep even though its end has not come
     * (its end marker always comes, unless the ingest dies). While remembered, a stream's
     * duplicates are recognised and written alone even after a pause.
     */
    static final long FORGET_IDLE_STREAM_MS = 60_000;

    /** Why a record was written: the label of {@code callpulse_ingest_audio_batches_total}. */
    public enum Reason {
        /** It held {@code batchMs} of audio. */
        FULL("full"),
        /**
         * The next message did not continue it: a missing chunk, a timestamp jump, a new format.
         */
        GAP("gap"),
        /** An event of its stream came. */
        EVENT("event"),
        /** It had waited {@code batchMs} of wall time. */
        SWEEP("sweep"),
        /** Its stream ended. */
        END("end"),
        /** The ingest is stopping. */
        SHUTDOWN("shutdown"),
        /**
         * A duplicate or out-of-order chunk came: written alone, and so is the record pending
         * before it.
         */
        OUT_OF_ORDER("out_of_order");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final RecordSink next;
    private final int batchMs;
    private final IngestMetrics metrics;
    private final LongSupplier clockMs;
    private final ConcurrentHashMap<String, StreamBatches> streams = new ConcurrentHashMap<>();

    /** Runs {@link #sweep()}; {@code null} when batching is off or a test drives the sweep. */
    private final ScheduledExecutorService sweeper;

    private volatile boolean closed;

    private AudioRecordBatcher(
            RecordSink next,
            int batchMs,
            IngestMetrics metrics,
            LongSupplier clockMs,
            boolean sweepOnItsOwn) {
        this.next = next;
        this.batchMs = checkBatchMs(batchMs);
        this.metrics = metrics;
        this.clockMs = clockMs;
        if (sweepOnItsOwn && batchMs > 0) {
            sweeper =
                    Executors.newSingleThreadScheduledExecutor(
                            task -> {
                                Thread thread = new Thread(task, "callpulse-audio-batch-sweep");
                                thread.setDaemon(true);
                                return thread;
                            });
            long periodMs = sweepPeriodMs(batchMs);
            sweeper.scheduleAtFixedRate(
                    this::sweepSafely, periodMs, periodMs, TimeUnit.MILLISECONDS);
        } else {
            sweeper = null;
        }
    }

    /** A batcher in front of {@code next} that sweeps on its own thread (none when off). */
    public static AudioRecordBatcher start(RecordSink next, int batchMs, IngestMetrics metrics) {
        // monotonic: a wall-clock step must neither hold audio back nor flush it all at once
        return new AudioRecordBatcher(
                next, batchMs, metrics, () -> System.nanoTime() / 1_000_000, true);
    }

    /** A batcher whose sweep runs only when {@link #sweep()} is called, on {@code clockMs}. */
    static AudioRecordBatcher withManualSweep(
            RecordSink next, int batchMs, IngestMetrics metrics, LongSupplier clockMs) {
        return new AudioRecordBatcher(next, batchMs, metrics, clockMs, false);
    }

    /** A quarter of the batch: a record waits at most 1.25 × {@code batchMs} of wall time. */
    static long sweepPeriodMs(int batchMs) {
        return Math.max(1, batchMs / 4);
    }

    public int batchMs() {
        return batchMs;
    }

    /**
     * Reads the setting's value.
     *
     * @param value the text configured, or {@code null}/blank for the default
     * @throws IllegalArgumentException naming the setting and the range, when it is not an integer
     *     from 0 to {@value #MAX_BATCH_MS}
     */
    public static int parseBatchMs(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_BATCH_MS;
        }
        try {
            return checkBatchMs(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw outOfRange("'" + value.trim() + "'");
        }
    }

    private static int checkBatchMs(int batchMs) {
        if (batchMs < 0 || batchMs > MAX_BATCH_MS) {
            throw outOfRange(Integer.toString(batchMs));
        }
        return batchMs;
    }

    private static IllegalArgumentException outOfRange(String found) {
        return new IllegalArgumentException(
                SETTING
                        + ": expected whole milliseconds from 0 (no batching) to "
                        + MAX_BATCH_MS
                        + ", found "
                        + found);
    }

    @Override
    public void audio(AudioRecord record) {
        if (batchMs == 0) {
            next.audio(record);
        } else if (record.endOfStream()) {
            endOfStream(record);
        } else {
            join(record);
        }
    }

    private void join(AudioRecord record) {
        while (true) {
            StreamBatches stream = streams.get(record.streamId());
            if (stream == null) {
                if (closed) {
                    next.audio(record);
                    return;
                }
                stream = streams.computeIfAbsent(record.streamId(), StreamBatches::new);
            }
            synchronized (stream) {
                if (stream.retired && closed) {
                    // close() has written what this stream had pending
                    next.audio(record);
                    return;
                }
                if (stream.retired) {
                    // swept away or ended between the lookup and the lock: take a fresh one
                    continue;
                }
                if (closed) {
                    // close() may have passed this stream already: nothing may wait any more
                    stream.flushAll(Reason.SHUTDOWN);
                    next.audio(record);
                    return;
                }
                stream.add(record);
                return;
            }
        }
    }

    private void endOfStream(AudioRecord marker) {
        StreamBatches stream = streams.get(marker.streamId());
        if (stream != null) {
            synchronized (stream) {
                if (!stream.retired) {
                    stream.flushAll(Reason.END);
                    stream.retired = true;
                    streams.remove(marker.streamId(), stream);
                    next.audio(marker);
                    return;
                }
            }
        }
        next.audio(marker);
    }

    @Override
    public void event(StreamEvent event) {
        StreamBatches stream = event.streamId() == null ? null : streams.get(event.streamId());
        if (stream != null) {
            synchronized (stream) {
                if (!stream.retired) {
                    stream.flushAll(Reason.EVENT);
                    next.event(event);
                    return;
                }
            }
        }
        next.event(event);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        // a topic of its own: nothing on the audio topic is ordered against it
        next.deadLetter(deadLetter);
    }

    /**
     * Writes every pending record that has waited {@code batchMs} of wall time, and forgets the
     * streams without audio for {@value #FORGET_IDLE_STREAM_MS} ms.
     */
    void sweep() {
        long now = clockMs.getAsLong();
        for (StreamBatches stream : streams.values()) {
            synchronized (stream) {
                if (stream.retired) {
                    continue;
                }
                stream.flushStartedBy(now - batchMs);
                if (!stream.hasPending() && now - stream.lastAudioAtMs >= FORGET_IDLE_STREAM_MS) {
                    stream.retired = true;
                    streams.remove(stream.streamId, stream);
                }
            }
        }
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // an exception would cancel the periodic sweep for good
            LOG.error("the audio batch sweep failed; it runs again", e);
        }
    }

    /** Streams with a record pending or recently written; for tests. */
    int streamsTracked() {
        return streams.size();
    }

    /**
     * Writes everything pending and passes every later record straight on. Call it after the
     * streams have closed and before the producer closes.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sweeper != null) {
            sweeper.shutdown();
            try {
                if (!sweeper.awaitTermination(1, TimeUnit.SECONDS)) {
                    sweeper.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sweeper.shutdownNow();
            }
        }
        for (StreamBatches stream : streams.values()) {
            synchronized (stream) {
                if (!stream.retired) {
                    stream.flushAll(Reason.SHUTDOWN);
                    stream.retired = true;
                }
            }
        }
        streams.clear();
    }

    /** One stream's pending records, one per track. Guarded by itself. */
    private final class StreamBatches {
        final String streamId;
        final Pending[] pending = new Pending[Track.values().length];

        /** Per track, the chunk after the last one written; -1 before any. */
        final long[] nextChunk = new long[Track.values().length];

        /** Removed from the map: whoever locked it meanwhile must look again. */
        boolean retired;

        /** When audio last came, on the batcher's clock. */
        long lastAudioAtMs;

        StreamBatches(String streamId) {
            this.streamId = streamId;
            Arrays.fill(nextChunk, -1);
        }

        void add(AudioRecord record) {
            int track = record.track().ordinal();
            Pending pending = this.pending[track];
            long now = clockMs.getAsLong();
            lastAudioAtMs = now;
            if (record.firstChunk() < nextChunk[track]
                    || (pending != null && record.firstChunk() < pending.nextChunk())) {
                // a duplicate or a latecomer: the job must see it where it arrived, as it is
                flush(track, Reason.OUT_OF_ORDER);
                metrics.audioBatchWritten(Reason.OUT_OF_ORDER.label(), 1);
                next.audio(record);
                return;
            }
            if (pending != null && pending.continuedBy(record)) {
                pending.append(record);
            } else {
                flush(track, Reason.GAP);
                pending = new Pending(record, now);
                this.pending[track] = pending;
            }
            if (pending.durationMs() >= batchMs) {
                flush(track, Reason.FULL);
            }
        }

        boolean hasPending() {
            for (Pending pending : pending) {
                if (pending != null) {
                    return true;
                }
            }
            return false;
        }

        void flushStartedBy(long dueBeforeMs) {
            for (int track = 0; track < pending.length; track++) {
                if (pending[track] != null && pending[track].startedAtMs <= dueBeforeMs) {
                    flush(track, Reason.SWEEP);
                }
            }
        }

        void flushAll(Reason reason) {
            for (int track = 0; track < pending.length; track++) {
                flush(track, reason);
            }
        }

        private void flush(int track, Reason reason) {
            Pending pending = this.pending[track];
            if (pending == null) {
                return;
            }
            this.pending[track] = null;
            nextChunk[track] = Math.max(nextChunk[track], pending.nextChunk());
            metrics.audioBatchWritten(reason.label(), pending.parts.size());
            next.audio(pending.joined());
        }
    }

    /** A track's record being joined. */
    private static final class Pending {
        final AudioRecord first;

        /** When the first message was added, on the batcher's clock. */
        final long startedAtMs;

        final List<AudioRecord> parts = new ArrayList<>(8);
        int chunkCount;
        int payloadBytes;

        Pending(AudioRecord first, long startedAtMs) {
            this.first = first;
            this.startedAtMs = startedAtMs;
            append(first);
        }

        void append(AudioRecord record) {
            parts.add(record);
            chunkCount += record.chunkCount();
            payloadBytes += record.payload().length;
        }

        long nextChunk() {
            return first.firstChunk() + chunkCount;
        }

        double durationMs() {
            return first.encoding().sampleCount(payloadBytes) * 1000.0 / first.sampleRate();
        }

        boolean continuedBy(AudioRecord record) {
            return record.encoding() == first.encoding()
                    && record.sampleRate() == first.sampleRate()
                    && record.firstChunk() == nextChunk()
                    && Math.abs(
                                    record.mediaTimestampMs()
                                            - (first.mediaTimestampMs() + durationMs()))
                            <= CONTIGUOUS_TOLERANCE_MS;
        }

        /** The parts as one record: the first's times, the payloads in order. */
        AudioRecord joined() {
            if (parts.size() == 1) {
                return first;
            }
            byte[] payload = new byte[payloadBytes];
            int at = 0;
            for (AudioRecord part : parts) {
                System.arraycopy(part.payload(), 0, payload, at, part.payload().length);
                at += part.payload().length;
            }
            return AudioRecord.audio(
                    first.streamId(),
                    first.track(),
                    first.encoding(),
                    first.sampleRate(),
                    first.firstChunk(),
                    chunkCount,
                    first.mediaTimestampMs(),
                    first.receivedAtMs(),
                    payload);
        }
    }
}
