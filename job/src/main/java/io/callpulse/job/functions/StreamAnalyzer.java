package io.callpulse.job.functions;

import io.callpulse.job.AlertSettings;
import io.callpulse.job.analysis.StreamAlerts;
import io.callpulse.job.analysis.StreamSummaries;
import io.callpulse.job.analysis.WindowFigures;
import io.callpulse.job.state.StreamLifecycle;
import io.callpulse.job.state.TrackAnalysis;
import io.callpulse.job.state.WindowAccumulator;
import io.callpulse.records.Alert;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.ConversationWindowMetrics;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.StreamSummary;
import io.callpulse.records.Track;
import io.callpulse.records.WindowMetrics;
import io.callpulse.udf.conversation.ConversationRules;
import io.callpulse.udf.conversation.ConversationTracker;
import io.callpulse.udf.level.Levels;
import io.callpulse.udf.vad.VoiceActivityDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per stream (keyed by StreamID), audio and lifecycle events together: puts each track's chunks
 * back in order, cuts them into 20 ms frames, decides per frame whether it is speech and measures
 * it, and emits one {@link WindowMetrics} per event-time window with both tracks' figures and what
 * the two parties did together (talk-over, dead air, turns, response latencies).
 *
 * <p>Frames are placed on a 20 ms grid by rounding their start. Frames are decided in arrival order
 * (after the reorder buffer), because the detector adapts over time; they are placed in their
 * window's 20 ms slots by media time, and the conversation is followed slot by slot when the window
 * closes, so it sees the call in time order.
 *
 * <p>A window closes when the watermark passes its end, or at once when the stream's end-of-stream
 * marker arrives (it follows the stream's last audio in the partition). The marker clears all of
 * the stream's state and timers. A frame whose window was already emitted is late: counted,
 * dropped.
 *
 * <p>Events (the WebSocket's start, stop and close, Plivo's status callbacks) keep the stream's
 * identity and life in {@link StreamLifecycle}, whatever order they come in relative to the audio,
 * and drive the lifecycle alerts on the {@link #ALERTS} side output. Those fire on processing-time
 * timers, so that a stream that goes quiet is noticed although no record (and no watermark) comes:
 * STREAM_DROPPED (a DroppedStream callback at once, or an abnormal socket close without StopStream
 * within the grace period), STREAM_STALLED (an open stream without media, and RESOLVED when media
 * comes back), NO_MEDIA (a start without any media). After the end-of-stream marker the lifecycle
 * outlives the audio by the drop grace period, then everything is cleared; a stream that never ends
 * is cleared after the idle timeout.
 */
public final class StreamAnalyzer
        extends KeyedCoProcessFunction<String, AudioRecord, StreamEvent, WindowMetrics> {

    private static final long serialVersionUID = 1L;

    /** The lifecycle alerts, as they fire and resolve. */
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts") {};

    /** One final summary per stream, once it ended and its grace period passed. */
    public static final OutputTag<StreamSummary> SUMMARIES = new OutputTag<>("summaries") {};

    /** Close codes of a stream that ended normally. */
    private static final int NORMAL_CLOSE = 1000;

    private static final int SLOT_MS = ConversationTracker.SLOT_MS;

    private final long windowMs;
    private final int slotsPerWindow;
    private final VoiceActivityDetector vad;
    private final ConversationRules rules;
    private final int reorderCapacity;
    private final AlertSettings alerting;

    private transient StreamAlerts streamAlerts;
    private transient ValueState<StreamLifecycle> lifecycleState;
    private transient MapState<Long, WindowAccumulator> windows;
    private transient ValueState<TrackAnalysis> inboundState;
    private transient ValueState<TrackAnalysis> outboundState;
    private transient ValueState<ConversationTracker> conversationState;

    // scratch, valid during one processElement call
    private transient short[] samples;

    public StreamAnalyzer(
            long windowMs,
            VoiceActivityDetector vad,
            ConversationRules rules,
            int reorderCapacity,
            AlertSettings alerting) {
        if (windowMs <= 0 || windowMs % SLOT_MS != 0) {
            throw new IllegalArgumentException(
                    "window length: expected a positive multiple of 20 ms, found " + windowMs);
        }
        if (reorderCapacity < 1) {
            throw new IllegalArgumentException(
                    "reorder capacity: expected at least 1 chunk, found " + reorderCapacity);
        }
        this.windowMs = windowMs;
        this.slotsPerWindow = (int) (windowMs / SLOT_MS);
        this.vad = vad;
        this.rules = rules;
        this.reorderCapacity = reorderCapacity;
        this.alerting = alerting;
    }

    @Override
    public void open(OpenContext openContext) {
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "open-windows",
                                        Types.LONG,
                                        Types.POJO(WindowAccumulator.class)));
        inboundState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "inbound-track", Types.POJO(TrackAnalysis.class)));
        outboundState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "outbound-track", Types.POJO(TrackAnalysis.class)));
        conversationState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "conversation", Types.POJO(ConversationTracker.class)));
        lifecycleState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "lifecycle", Types.POJO(StreamLifecycle.class)));
        samples = new short[0];
        streamAlerts = new StreamAlerts(alerting);
    }

    private ValueState<TrackAnalysis> stateOf(Track track) {
        return track == Track.INBOUND ? inboundState : outboundState;
    }

    @Override
    public void processElement1(AudioRecord record, Context ctx, Collector<WindowMetrics> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        StreamLifecycle life = lifecycle(now, ctx.timerService());
        if (record.endOfStream()) {
            closeStream(
                    ctx.getCurrentKey(),
                    life,
                    record.mediaTimestampMs(),
                    ctx.timerService(),
                    out,
                    alert -> ctx.output(ALERTS, alert));
            life.audioEnded = true;
            life.audioEndedAtMs = now;
            life.lastMediaEndMs = record.mediaTimestampMs();
            // the lifecycle waits out the grace period for late callbacks and the drop check
            ctx.timerService().registerProcessingTimeTimer(now + alerting.dropGraceMs());
            lifecycleState.update(life);
            return;
        }
        if (life.stalledSinceMs >= 0) {
            ctx.output(
                    ALERTS,
                    StreamAlerts.alert(
                            ctx.getCurrentKey(),
                            life,
                            Alert.Types.STREAM_STALLED,
                            Alert.RESOLVED,
                            life.stalledSinceMs,
                            now,
                            Map.of("resumedAtMs", Long.toString(now))));
            life.stalledSinceMs = -1;
        }
        life.mediaSeen = true;
        life.lastMediaAtMs = now;
        if (life.stallCheckAtMs < 0) {
            scheduleStallCheck(life, ctx.timerService());
        }
        lifecycleState.update(life);

        Track track = record.track();
        TrackAnalysis analysis = stateOf(track).value();
        if (analysis == null) {
            analysis = new TrackAnalysis();
            analysis.vadState = vad.newState();
            analysis.firstMediaMs = record.mediaTimestampMs();
        }
        TrackAnalysis current = analysis;
        TimerService timers = ctx.timerService();
        long closedBeforeMs = life.windowsClosedBeforeMs;
        current.sequence.accept(
                record,
                reorderCapacity,
                released -> analyse(released, current, timers, closedBeforeMs));
        stateOf(track).update(current);
        emitCompleteWindows(
                ctx.getCurrentKey(), life, timers, out, alert -> ctx.output(ALERTS, alert));
    }

    /**
     * Emits the stream's oldest open windows, in order, as soon as every track the stream declared
     * has a frame in every slot and has gone on into a later window: nothing more can come for them
     * (a repeated chunk is dropped before it gets here), so they need not wait for the watermark,
     * which trails the partition's newest audio by the out-of-orderness bound. A window with a gap
     * still waits for the watermark, and so do the windows after it, since the conversation is
     * followed in time order.
     */
    private void emitCompleteWindows(
            String streamId,
            StreamLifecycle life,
            TimerService timers,
            Collector<WindowMetrics> out,
            Consumer<Alert> alerts)
            throws Exception {
        int declared = declaredTracks(life);
        if (declared == 0) {
            return;
        }
        while (true) {
            // one pass: the oldest window, and the newest one every declared track has reached
            long oldest = Long.MAX_VALUE;
            WindowAccumulator oldestWindow = null;
            long newestReached = Long.MIN_VALUE;
            for (Map.Entry<Long, WindowAccumulator> entry : windows.entries()) {
                long start = entry.getKey();
                if (start < oldest) {
                    oldest = start;
                    oldestWindow = entry.getValue();
                }
                if (start > newestReached && framesOnEvery(entry.getValue(), declared, 1)) {
                    newestReached = start;
                }
            }
            // the stream's last window is left to the end marker, which also ends the call's
            // conversation in it: a window leaves early only once every track has gone past it
            if (oldestWindow == null
                    || newestReached <= oldest
                    || !framesOnEvery(oldestWindow, declared, slotsPerWindow)) {
                return;
            }
            out.collect(emit(streamId, life, oldest, oldestWindow, Long.MAX_VALUE, false, alerts));
            windows.remove(oldest);
            timers.deleteEventTimeTimer(oldest + windowMs - 1);
            life.windowsClosedBeforeMs = oldest + windowMs;
            lifecycleState.update(life);
        }
    }

    /**
     * Whether each track of {@code tracks} (a mask of track indexes) has at least so many frames.
     */
    private static boolean framesOnEvery(WindowAccumulator window, int tracks, int frames) {
        for (int index = 0; index < window.frames.length; index++) {
            if ((tracks & (1 << index)) != 0 && window.frames[index] < frames) {
                return false;
            }
        }
        return true;
    }

    /**
     * The tracks the start message named, as a mask of track indexes; 0 (so no early windows)
     * before it, or if it names a track the job does not know.
     */
    private static int declaredTracks(StreamLifecycle life) {
        if (life.tracks == null) {
            return 0;
        }
        int mask = 0;
        for (String name : life.tracks) {
            try {
                mask |= 1 << WindowAccumulator.index(Track.fromWireName(name));
            } catch (IllegalArgumentException e) {
                return 0; // leave it to the watermark
            }
        }
        return mask;
    }

    @Override
    public void processElement2(StreamEvent event, Context ctx, Collector<WindowMetrics> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        StreamLifecycle life = lifecycle(now, ctx.timerService());
        if (event.callId() != null) {
            life.callId = event.callId();
        }
        if (event.extraHeaders() != null && !event.extraHeaders().isEmpty()) {
            life.extraHeaders = event.extraHeaders();
        }
        if (event.attributes() != null) {
            life.from = event.attributes().getOrDefault("From", life.from);
            life.to = event.attributes().getOrDefault("To", life.to);
        }
        if (StreamEvent.Sources.STATUS_CALLBACK.equals(event.source())) {
            life.callbacks.add(event.type());
            String error = event.attributes() == null ? null : event.attributes().get("Error");
            if ("DroppedStream".equals(event.type())) {
                life.droppedByCallback = true;
                life.endError = error;
            } else if ("StopStream".equals(event.type()) && error != null) {
                life.endError = error;
                life.timedOut = error.toLowerCase(java.util.Locale.ROOT).contains("timeout");
            }
        }
        switch (event.type()) {
            case StreamEvent.Types.START -> {
                life.tracks = event.tracks();
                life.encoding = event.encoding();
                life.sampleRate = event.sampleRate();
                life.startSeen = true;
                life.startedAtMs = now;
                ctx.timerService().registerProcessingTimeTimer(now + alerting.noMediaMs());
            }
            case StreamEvent.Types.STOP, "StopStream" -> life.stopSeen = true;
            case StreamEvent.Types.CLOSED -> {
                life.socketClosed = true;
                life.closeCode = event.closeCode() == null ? 0 : event.closeCode();
                life.closedAtMs = now;
                if (event.stopSeen() != null && event.stopSeen()) {
                    life.stopSeen = true;
                }
                ctx.timerService().registerProcessingTimeTimer(now + alerting.dropGraceMs());
            }
            case "DegradedStream" -> {
                if (!life.degradedAlerted) {
                    life.degradedAlerted = true;
                    ctx.output(
                            ALERTS,
                            StreamAlerts.alert(
                                    ctx.getCurrentKey(),
                                    life,
                                    Alert.Types.STREAM_DEGRADED,
                                    Alert.FIRING,
                                    event.eventTimeMs() == null ? now : event.eventTimeMs(),
                                    now,
                                    StreamAlerts.callbackDetails(
                                            "DegradedStream callback", event)));
                }
            }
            case "DroppedStream" -> {
                if (!life.droppedAlerted) {
                    life.droppedAlerted = true;
                    ctx.output(
                            ALERTS,
                            StreamAlerts.alert(
                                    ctx.getCurrentKey(),
                                    life,
                                    Alert.Types.STREAM_DROPPED,
                                    Alert.FIRING,
                                    event.eventTimeMs() == null ? now : event.eventTimeMs(),
                                    now,
                                    StreamAlerts.callbackDetails("DroppedStream callback", event)));
                }
            }
            default -> {
                // other events only carry identity
            }
        }
        lifecycleState.update(life);
    }

    /**
     * The stream's lifecycle, created (with its one idle timer) on the stream's first record; every
     * record moves its last activity.
     */
    private StreamLifecycle lifecycle(long now, TimerService timers) throws Exception {
        StreamLifecycle life = lifecycleState.value();
        if (life == null) {
            life = new StreamLifecycle();
            life.idleTimerAtMs = now + alerting.idleTimeoutMs();
            timers.registerProcessingTimeTimer(life.idleTimerAtMs);
        }
        life.lastActivityAtMs = now;
        return life;
    }

    /**
     * The stream's one stall check: due when the stall time has passed since the last media,
     * rounded up to a whole second (so streams share timer firings). It is moved on when it fires
     * and media came meanwhile, rather than a timer being registered per second of media: one
     * pending timer per stream instead of one per second of the stall time, in every checkpoint.
     */
    private void scheduleStallCheck(StreamLifecycle life, TimerService timers) {
        life.stallCheckAtMs = ceilToSecond(life.lastMediaAtMs) + alerting.stallMs();
        timers.registerProcessingTimeTimer(life.stallCheckAtMs);
    }

    private static long ceilToSecond(long ms) {
        return (ms + 999) / 1000 * 1000;
    }

    /** Decodes a record released in chunk order, and frames, decides and places its audio. */
    private void analyse(
            AudioRecord record, TrackAnalysis analysis, TimerService timers, long closedBeforeMs) {
        int count = record.sampleCount();
        if (samples.length < count) {
            samples = new short[count];
        }
        record.encoding().decode(record.payload(), 0, record.payload().length, samples, 0);
        Track track = record.track();
        analysis.framer.accept(
                samples,
                count,
                record.mediaTimestampMs(),
                record.sampleRate(),
                (frameStartMs, frame, offset, length) ->
                        placeFrame(
                                track,
                                analysis,
                                timers,
                                frameStartMs,
                                frame,
                                offset,
                                length,
                                record.sampleRate(),
                                closedBeforeMs));
    }

    private void placeFrame(
            Track track,
            TrackAnalysis analysis,
            TimerService timers,
            long frameStartMs,
            short[] frame,
            int offset,
            int length,
            int sampleRate,
            long closedBeforeMs) {
        // the detector adapts frame by frame: it sees every frame, late ones too
        boolean speech = vad.isSpeech(analysis.vadState, frame, offset, length, sampleRate);
        // frames go on a 20 ms grid: media times are whole ms, so a frame that starts at 12.5 ms
        // may read 12, and must still get its own slot
        long slotStartMs = Math.round(frameStartMs / (double) SLOT_MS) * SLOT_MS;
        long windowStart = slotStartMs - Math.floorMod(slotStartMs, windowMs);
        long windowEnd = windowStart + windowMs;
        // late: the watermark passed the window, or it was emitted early, complete
        if (windowEnd - 1 <= timers.currentWatermark() || windowEnd <= closedBeforeMs) {
            analysis.lateFrames++;
            return;
        }
        try {
            WindowAccumulator window = windows.get(windowStart);
            if (window == null) {
                window = new WindowAccumulator(slotsPerWindow);
                timers.registerEventTimeTimer(windowEnd - 1);
            }
            window.addFrame(
                    track,
                    (int) ((slotStartMs - windowStart) / SLOT_MS),
                    speech,
                    Levels.meanSquare(frame, offset, length),
                    Levels.peak(frame, offset, length),
                    Levels.clippedSamples(frame, offset, length),
                    length);
            windows.put(windowStart, window);
        } catch (Exception e) {
            throw new IllegalStateException("keyed state failed", e);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowMetrics> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            checkLifecycle(timestamp, ctx, out);
            return;
        }
        long windowStart = timestamp + 1 - windowMs;
        long windowEnd = windowStart + windowMs;
        // chunks held for a missing one that started in this window go in before it closes
        long closedBeforeMs = closedBeforeMs(lifecycleState.value());
        for (Track track : Track.values()) {
            TrackAnalysis analysis = stateOf(track).value();
            if (analysis != null) {
                analysis.sequence.releaseBefore(
                        windowEnd,
                        released ->
                                analyse(released, analysis, ctx.timerService(), closedBeforeMs));
                stateOf(track).update(analysis);
            }
        }
        WindowAccumulator window = windows.get(windowStart);
        if (window != null) {
            StreamLifecycle life = lifecycleState.value();
            out.collect(
                    emit(
                            ctx.getCurrentKey(),
                            life,
                            windowStart,
                            window,
                            Long.MAX_VALUE,
                            false,
                            alert -> ctx.output(ALERTS, alert)));
            windows.remove(windowStart);
            if (life != null) {
                lifecycleState.update(life);
            }
        }
    }

    /** A processing-time timer: checks every lifecycle condition that may have come due. */
    private void checkLifecycle(long now, OnTimerContext ctx, Collector<WindowMetrics> out)
            throws Exception {
        StreamLifecycle life = lifecycleState.value();
        if (life == null) {
            return;
        }
        String streamId = ctx.getCurrentKey();
        if (now >= life.idleTimerAtMs) {
            if (now - life.lastActivityAtMs >= alerting.idleTimeoutMs()) {
                // never ended (an ingest that died, a lost marker): forget it all
                closeStream(
                        streamId,
                        life,
                        Long.MAX_VALUE,
                        ctx.timerService(),
                        out,
                        alert -> ctx.output(ALERTS, alert));
                ctx.output(SUMMARIES, summarize(streamId, life));
                clearAll();
                deleteStallCheck(life, ctx.timerService());
                return;
            }
            life.idleTimerAtMs = life.lastActivityAtMs + alerting.idleTimeoutMs();
            ctx.timerService().registerProcessingTimeTimer(life.idleTimerAtMs);
        }
        boolean open = !life.socketClosed && !life.audioEnded && !life.droppedAlerted;
        if (open
                && life.startSeen
                && !life.mediaSeen
                && !life.noMediaAlerted
                && now - life.startedAtMs >= alerting.noMediaMs()) {
            life.noMediaAlerted = true;
            ctx.output(
                    ALERTS,
                    StreamAlerts.alert(
                            streamId,
                            life,
                            Alert.Types.NO_MEDIA,
                            Alert.FIRING,
                            life.startedAtMs,
                            now,
                            Map.of()));
        }
        boolean stallCheckDue = life.stallCheckAtMs >= 0 && now >= life.stallCheckAtMs;
        if (stallCheckDue) {
            life.stallCheckAtMs = -1;
        }
        if (open
                && life.mediaSeen
                && life.stalledSinceMs < 0
                && now - life.lastMediaAtMs < alerting.stallMs()
                && stallCheckDue) {
            // media came since the check was set: check again the stall time after the last
            scheduleStallCheck(life, ctx.timerService());
        }
        if (open
                && life.mediaSeen
                && life.stalledSinceMs < 0
                && now - life.lastMediaAtMs >= alerting.stallMs()) {
            life.stalledSinceMs = life.lastMediaAtMs;
            ctx.output(
                    ALERTS,
                    StreamAlerts.alert(
                            streamId,
                            life,
                            Alert.Types.STREAM_STALLED,
                            Alert.FIRING,
                            life.lastMediaAtMs,
                            now,
                            Map.of("silentForMs", Long.toString(now - life.lastMediaAtMs))));
        }
        if (life.socketClosed
                && life.closeCode != NORMAL_CLOSE
                && !life.stopSeen
                && !life.droppedAlerted
                && now - life.closedAtMs >= alerting.dropGraceMs()) {
            life.droppedAlerted = true;
            ctx.output(
                    ALERTS,
                    StreamAlerts.alert(
                            streamId,
                            life,
                            Alert.Types.STREAM_DROPPED,
                            Alert.FIRING,
                            life.closedAtMs,
                            now,
                            Map.of(
                                    "cause",
                                    "socket closed with "
                                            + life.closeCode
                                            + " and no StopStream")));
        }
        long endedAt = Math.max(life.audioEndedAtMs, life.socketClosed ? life.closedAtMs : 0);
        if (life.audioEnded && now - endedAt >= alerting.dropGraceMs()) {
            // over, and the grace for late callbacks has passed: the summary, then nothing
            ctx.output(SUMMARIES, summarize(streamId, life));
            clearAll();
            ctx.timerService().deleteProcessingTimeTimer(life.idleTimerAtMs);
            deleteStallCheck(life, ctx.timerService());
            return;
        }
        lifecycleState.update(life);
    }

    private static void deleteStallCheck(StreamLifecycle life, TimerService timers) {
        if (life.stallCheckAtMs >= 0) {
            timers.deleteProcessingTimeTimer(life.stallCheckAtMs);
        }
    }

    private StreamSummary summarize(String streamId, StreamLifecycle life) throws Exception {
        return StreamSummaries.summarize(
                streamId,
                life,
                inboundState.value(),
                outboundState.value(),
                conversationState.value());
    }

    private static long closedBeforeMs(StreamLifecycle life) {
        return life == null ? Long.MIN_VALUE : life.windowsClosedBeforeMs;
    }

    private void clearAll() {
        lifecycleState.clear();
        windows.clear();
        inboundState.clear();
        outboundState.clear();
        conversationState.clear();
    }

    private void closeStream(
            String streamId,
            StreamLifecycle life,
            long lastMediaEndMs,
            TimerService timers,
            Collector<WindowMetrics> out,
            Consumer<Alert> alerts)
            throws Exception {
        for (Track track : Track.values()) {
            TrackAnalysis analysis = stateOf(track).value();
            if (analysis != null) {
                analysis.sequence.releaseAll(
                        released ->
                                analyse(released, analysis, timers, life.windowsClosedBeforeMs));
                stateOf(track).update(analysis);
            }
        }
        List<Long> starts = new ArrayList<>();
        for (Map.Entry<Long, WindowAccumulator> entry : windows.entries()) {
            starts.add(entry.getKey());
        }
        starts.sort(null);
        for (int i = 0; i < starts.size(); i++) {
            long start = starts.get(i);
            boolean last = i == starts.size() - 1;
            out.collect(
                    emit(streamId, life, start, windows.get(start), lastMediaEndMs, last, alerts));
            timers.deleteEventTimeTimer(start + windowMs - 1);
        }
        windows.clear();
        // the tracks and the conversation stay for the summary, written after the grace period
        streamAlerts.resolveWindowAlerts(streamId, life, alerts);
    }

    /**
     * The window's figures. Its conversation slots run up to {@code streamEndMs} (the end of the
     * stream's audio, for its last window); with {@code finish} the conversation is closed too.
     */
    private WindowMetrics emit(
            String streamId,
            StreamLifecycle life,
            long windowStart,
            WindowAccumulator window,
            long streamEndMs,
            boolean finish,
            Consumer<Alert> alerts)
            throws Exception {
        TrackAnalysis inbound = inboundState.value();
        TrackAnalysis outbound = outboundState.value();
        ConversationWindowMetrics conversation = null;
        WindowFigures.WindowEpisodes episodes = new WindowFigures.WindowEpisodes();
        ConversationTracker tracker = null;
        if (inbound != null && outbound != null) {
            tracker = conversationState.value();
            if (tracker == null) {
                tracker = new ConversationTracker();
            }
            conversation =
                    WindowFigures.followConversation(
                            tracker,
                            episodes,
                            windowStart,
                            window,
                            streamEndMs,
                            finish,
                            rules,
                            slotsPerWindow);
            conversationState.update(tracker);
        }
        WindowMetrics metrics =
                new WindowMetrics(
                        streamId,
                        windowStart,
                        windowStart + windowMs,
                        life == null ? null : life.callContext(),
                        WindowFigures.trackMetrics(window, Track.INBOUND, inbound),
                        WindowFigures.trackMetrics(window, Track.OUTBOUND, outbound),
                        conversation);
        if (life != null) {
            streamAlerts.windowAlerts(streamId, life, metrics, tracker, episodes, alerts);
        }
        // reporting moved the tracks' health marks
        if (inbound != null) {
            inboundState.update(inbound);
        }
        if (outbound != null) {
            outboundState.update(outbound);
        }
        return metrics;
    }
}
