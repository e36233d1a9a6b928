package io.callpulse.bench.job;

import io.callpulse.bench.state.KeyedSnapshotBreakdown;
import io.callpulse.job.AlertSettings;
import io.callpulse.job.AnalysisSettings;
import io.callpulse.job.functions.StreamAnalyzer;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import io.callpulse.records.WindowMetrics;
import io.callpulse.simulator.Conversations;
import io.callpulse.simulator.StreamFormat;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * {@code ./bench.sh state}: the checkpointed Flink state of one live two-track stream. Runs the
 * job's real {@link StreamAnalyzer} (the job's defaults: learned VAD, 1 s windows, 200 ms of
 * out-of-orderness, max parallelism 128) in a keyed operator harness on the hashmap state backend,
 * plays N calls of speech-like audio into it, 20 ms mu-law chunks on both tracks as Plivo sends
 * them, and stops with every stream still open (mid-window, mid-call). Then it takes a real
 * checkpoint of the operator and reads the snapshot back to say where its bytes go: per state
 * (value and map states: key and value bytes), per timer queue, and the fixed overhead, which it
 * also measures on its own with no stream. Bytes per stream = (snapshot with N streams - snapshot
 * with none) / N. The heap the streams hold is estimated from the used heap after full GCs.
 */
public final class StateSizeBenchmark {

    private static final long T0 = 1_700_000_000_000L;
    private static final int MAX_PARALLELISM = 128;
    private static final long OUT_OF_ORDERNESS_MS = 200;
    private static final long WINDOW_MS = 1000;
    private static final int CHUNK_MS = 20;
    private static final int DISTINCT_CALLS = 50;

    private StateSizeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int streams = 1000;
        long callMs = 30_500;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                case "--call-ms" -> callMs = Long.parseLong(args[++i]);
                case "--help" -> {
                    System.out.println(
                            "./bench.sh state [--streams N (1000)] [--call-ms MS (30500)]\n"
                                    + "  N live two-track calls, each MS of speech-like audio so"
                                    + " far, then one checkpoint of the job's StreamAnalyzer:"
                                    + " bytes per live stream, per state and timers");
                    return;
                }
                default ->
                        throw new IllegalArgumentException(
                                "argument: expected --streams, --call-ms or --help, found "
                                        + args[i]);
            }
        }
        if (streams < 1 || callMs < 1000) {
            throw new IllegalArgumentException(
                    "--streams: expected at least 1, --call-ms at least 1000; found "
                            + streams
                            + " and "
                            + callMs);
        }
        System.out.printf(
                Locale.ROOT,
                "state per live stream: %d two-track calls, %d ms of audio each, hashmap backend,"
                        + " max parallelism %d%n",
                streams,
                callMs,
                MAX_PARALLELISM);

        Measurement empty = measure(0, callMs);
        Measurement loaded = measure(streams, callMs);
        report(empty, loaded, streams);
    }

    /** One harness, N streams played into it, one checkpoint. */
    record Measurement(KeyedSnapshotBreakdown snapshot, long heapBytes, long feedMillis) {}

    private static Measurement measure(int streams, long callMs) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
                harness = openHarness();
        try {
            long heapBefore = usedHeapAfterGc();
            long started = System.nanoTime();
            play(harness, streams, callMs);
            long feedMillis = (System.nanoTime() - started) / 1_000_000;
            clearOutputs(harness);
            long heapAfter = usedHeapAfterGc();
            OperatorSubtaskState state = harness.snapshot(1L, T0 + callMs);
            if (!state.getRawKeyedState().isEmpty()) {
                throw new IllegalStateException(
                        "snapshot: expected timers in the managed keyed state, found raw keyed"
                                + " state");
            }
            List<KeyedStateHandle> handles = new ArrayList<>(state.getManagedKeyedState());
            if (handles.size() != 1) {
                throw new IllegalStateException(
                        "snapshot: expected one managed keyed state handle, found "
                                + handles.size());
            }
            KeyedSnapshotBreakdown breakdown =
                    KeyedSnapshotBreakdown.of(
                            handles.get(0), StateSizeBenchmark.class.getClassLoader());
            if (breakdown.attributedBytes() != breakdown.snapshotBytes) {
                throw new IllegalStateException(
                        "snapshot: "
                                + breakdown.snapshotBytes
                                + " bytes, the breakdown found "
                                + breakdown.attributedBytes());
            }
            return new Measurement(breakdown, heapAfter - heapBefore, feedMillis);
        } finally {
            harness.close();
        }
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, AudioRecord, StreamEvent, WindowMetrics>
            openHarness() throws Exception {
        AnalysisSettings analysis = AnalysisSettings.DEFAULTS;
        KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
                harness =
                        new KeyedTwoInputStreamOperatorTestHarness<>(
                                new KeyedCoProcessOperator<>(
                                        new StreamAnalyzer(
                                                WINDOW_MS,
                                                analysis.voiceActivityDetector(),
                                                analysis.conversationRules(),
                                                analysis.reorderChunks(),
                                                AlertSettings.DEFAULTS)),
                                AudioRecord::streamId,
                                StreamEvent::streamId,
                                Types.STRING,
                                MAX_PARALLELISM,
                                1,
                                0);
        harness.setStateBackend(new HashMapStateBackend());
        harness.setCheckpointStorage(new JobManagerCheckpointStorage(Integer.MAX_VALUE));
        // a state type that fell back to Kryo fails here instead of being measured
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
        harness.open();
        return harness;
    }

    /** A call's two tracks, cut into Plivo's 20 ms chunks and encoded once. */
    private record EncodedCall(byte[][] inbound, byte[][] outbound) {}

    private static void play(
            KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
                    harness,
            int streams,
            long callMs)
            throws Exception {
        if (streams == 0) {
            return;
        }
        StreamFormat format = StreamFormat.MULAW_8K;
        int chunkSamples = format.sampleRate() * CHUNK_MS / 1000;
        List<EncodedCall> calls = new ArrayList<>();
        for (int c = 0; c < Math.min(DISTINCT_CALLS, streams); c++) {
            Conversations.Conversation call =
                    Conversations.generate(
                            format.sampleRate(), callMs, Conversations.Voice.SPEECH, 1000 + c);
            calls.add(
                    new EncodedCall(
                            chunks(format, call.caller(), chunkSamples),
                            chunks(format, call.agent(), chunkSamples)));
        }
        SplittableRandom ids = new SplittableRandom(42);
        String[] streamIds = new String[streams];
        for (int s = 0; s < streams; s++) {
            // Plivo's stream ids are UUIDs
            streamIds[s] = new UUID(ids.nextLong(), ids.nextLong()).toString();
            harness.setProcessingTime(T0);
            harness.processElement2(
                    StreamEvent.started(
                            streamIds[s],
                            new UUID(ids.nextLong(), ids.nextLong()).toString(),
                            "MAODZKMDFJMJU3MTEYNG",
                            T0,
                            List.of("inbound", "outbound"),
                            "audio/x-mulaw;rate=8000",
                            format.sampleRate(),
                            Map.of("agentId", "agent-" + (s % 97), "queue", "support")),
                    T0);
        }
        int chunksPerCall = calls.get(0).inbound().length;
        for (int k = 0; k < chunksPerCall; k++) {
            long mediaMs = T0 + (long) k * CHUNK_MS;
            // the chunks arrive about when they were spoken
            harness.setProcessingTime(mediaMs + CHUNK_MS);
            for (int s = 0; s < streams; s++) {
                EncodedCall call = calls.get(s % calls.size());
                for (Track track : Track.values()) {
                    byte[] payload = (track == Track.INBOUND ? call.inbound() : call.outbound())[k];
                    harness.processElement1(
                            AudioRecord.audio(
                                    streamIds[s],
                                    track,
                                    format.encoding(),
                                    format.sampleRate(),
                                    k + 1,
                                    1,
                                    mediaMs,
                                    mediaMs + CHUNK_MS,
                                    payload),
                            mediaMs);
                }
            }
            if ((k + 1) % 10 == 0) {
                // the job's bounded out-of-orderness, every 200 ms
                Watermark watermark = new Watermark(mediaMs + CHUNK_MS - OUT_OF_ORDERNESS_MS - 1);
                harness.processBothWatermarks(watermark);
                clearOutputs(harness);
            }
        }
    }

    private static byte[][] chunks(StreamFormat format, short[] samples, int chunkSamples) {
        byte[][] chunks = new byte[samples.length / chunkSamples][];
        for (int k = 0; k < chunks.length; k++) {
            chunks[k] = format.encode(samples, k * chunkSamples, chunkSamples);
        }
        return chunks;
    }

    private static void clearOutputs(
            KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
                    harness) {
        harness.getOutput().clear();
        if (harness.getSideOutput(StreamAnalyzer.ALERTS) != null) {
            harness.getSideOutput(StreamAnalyzer.ALERTS).clear();
        }
        if (harness.getSideOutput(StreamAnalyzer.SUMMARIES) != null) {
            harness.getSideOutput(StreamAnalyzer.SUMMARIES).clear();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void report(Measurement empty, Measurement loaded, int streams) {
        KeyedSnapshotBreakdown none = empty.snapshot();
        KeyedSnapshotBreakdown full = loaded.snapshot();
        System.out.printf(
                Locale.ROOT,
                "snapshot: %,d bytes with %d streams, %,d with none (header %,d, key group ids"
                        + " %,d, empty state framing %,d)%n",
                full.snapshotBytes,
                streams,
                none.snapshotBytes,
                none.headerBytes,
                none.keyGroupBytes,
                none.snapshotBytes - none.headerBytes - none.keyGroupBytes);
        System.out.printf(
                Locale.ROOT,
                "%-36s %9s %12s %12s %12s%n",
                "state",
                "entries",
                "key B/strm",
                "value B/strm",
                "total B/strm");
        Map<String, KeyedSnapshotBreakdown.StateBytes> emptyStates = none.byName();
        double keys = 0;
        double timers = 0;
        for (KeyedSnapshotBreakdown.StateBytes state : full.states) {
            KeyedSnapshotBreakdown.StateBytes base = emptyStates.get(state.name);
            long baseTotal = base == null ? 0 : base.total();
            double perStream = (state.total() - baseTotal) / (double) streams;
            System.out.printf(
                    Locale.ROOT,
                    "%-36s %9d %12.1f %12.1f %12.1f%n",
                    (state.timers ? "timers " : "") + state.name,
                    state.entries,
                    state.keyBytes / (double) streams,
                    state.valueBytes / (double) streams,
                    perStream);
            keys += state.keyBytes / (double) streams;
            if (state.timers) {
                timers += perStream;
            }
        }
        double perStream = (full.snapshotBytes - none.snapshotBytes) / (double) streams;
        System.out.printf(
                Locale.ROOT,
                "of which keys (namespace + stream id per state entry) %.1f B/stream, timers %.1f"
                        + " B/stream%n",
                keys,
                timers);
        System.out.printf(
                Locale.ROOT,
                "checkpointed state per live stream: %.1f B (%.2f KB); fixed overhead %,d B%n",
                perStream,
                perStream / 1024,
                none.snapshotBytes);
        System.out.printf(
                Locale.ROOT,
                "heap per live stream (used heap after GC, estimate): %.0f B; played in %,d ms%n",
                (loaded.heapBytes() - empty.heapBytes()) / (double) streams,
                loaded.feedMillis());
    }
}
