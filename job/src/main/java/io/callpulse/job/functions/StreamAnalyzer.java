package io.callpulse.job.functions;

import io.callpulse.job.AlertSettings;
import io.callpulse.job.state.StreamLifecycle;
import io.callpulse.job.state.TrackAnalysis;
import io.callpulse.job.state.TrackSequence;
import io.callpulse.job.state.WindowAccumulator;
import io.callpulse.records.Alert;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.ChunkHealth;
import io.callpulse.records.ConversationWindowMetrics;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.StreamSummary;
import io.callpulse.records.Track;
import io.callpulse.records.TrackWindowMetrics;
import io.callpulse.records.WindowMetrics;
import io.callpulse.udf.conversation.ConversationListener;
import io.callpulse.udf.conversation.ConversationRules;
import io.callpulse.udf.conversation.ConversationTracker;
import io.callpulse.udf.conversation.Party;
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
                    alert(
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
        // one stall check per second at most: Flink keeps one timer per key and timestamp
        ctx.timerService().registerProcessingTimeTimer(ceilToSecond(now) + alerting.stallMs());
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
        current.sequence.accept(
                record, reorderCapacity, released -> analyse(released, current, timers));
        stateOf(track).update(current);
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
                            alert(
                                    ctx.getCurrentKey(),
                                    life,
                                    Alert.Types.STREAM_DEGRADED,
                                    Alert.FIRING,
                                    event.eventTimeMs() == null ? now : event.eventTimeMs(),
                                    now,
                                    callbackDetails("DegradedStream callback", event)));
                }
            }
            case "DroppedStream" -> {
                if (!life.droppedAlerted) {
                    life.droppedAlerted = true;
                    ctx.output(
                            ALERTS,
                            alert(
                                    ctx.getCurrentKey(),
                                    life,
                                    Alert.Types.STREAM_DROPPED,
                                    Alert.FIRING,
                                    event.eventTimeMs() == null ? now : event.eventTimeMs(),
                                    now,
                                    callbackDetails("DroppedStream callback", event)));
                }
            }
            default -> {
                // other events only carry identity
            }
        }
        lifecycleState.update(life);
    }

    /** A callback alert's details: the cause and Plivo's Error, when it gave one. */
    private static Map<String, String> callbackDetails(String cause, StreamEvent event) {
        Map<String, String> details = new java.util.TreeMap<>();
        details.put("cause", cause);
        String error = event.attributes() == null ? null : event.attributes().get("Error");
        if (error != null) {
            details.put("error", error);
        }
        return details;
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

    private static long ceilToSecond(long ms) {
        return (ms + 999) / 1000 * 1000;
    }

    private static Alert alert(
            String streamId,
            StreamLifecycle life,
            String type,
            String state,
            long beganAtMs,
            long detectedAtMs,
            Map<String, String> details) {
        if (Alert.FIRING.equals(state)) {
            // every alert passes here: the summary lists what was raised
            life.alertsRaised.add(type);
        }
        return new Alert(
                Alert.idOf(streamId, type, beganAtMs),
                type,
                Alert.severityOf(type),
                state,
                streamId,
                life.callId,
                life.from,
                life.to,
                life.extraHeaders,
                beganAtMs,
                detectedAtMs,
                details);
    }

    /** Decodes a record released in chunk order, and frames, decides and places its audio. */
    private void analyse(AudioRecord record, TrackAnalysis analysis, TimerService timers) {
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
                                record.sampleRate()));
    }

    private void placeFrame(
            Track track,
            TrackAnalysis analysis,
            TimerService timers,
            long frameStartMs,
            short[] frame,
            int offset,
            int length,
            int sampleRate) {
        // the detector adapts frame by frame: it sees every frame, late ones too
        boolean speech = vad.isSpeech(analysis.vadState, frame, offset, length, sampleRate);
        // frames go on a 20 ms grid: media times are whole ms, so a frame that starts at 12.5 ms
        // may read 12, and must still get its own slot
        long slotStartMs = Math.round(frameStartMs / (double) SLOT_MS) * SLOT_MS;
        long windowStart = slotStartMs - Math.floorMod(slotStartMs, windowMs);
        long windowEnd = windowStart + windowMs;
        if (windowEnd - 1 <= timers.currentWatermark()) {
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
        for (Track track : Track.values()) {
            TrackAnalysis analysis = stateOf(track).value();
            if (analysis != null) {
                analysis.sequence.releaseBefore(
                        windowEnd, released -> analyse(released, analysis, ctx.timerService()));
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
                    alert(
                            streamId,
                            life,
                            Alert.Types.NO_MEDIA,
                            Alert.FIRING,
                            life.startedAtMs,
                            now,
                            Map.of()));
        }
        if (open
                && life.mediaSeen
                && life.stalledSinceMs < 0
                && now - life.lastMediaAtMs >= alerting.stallMs()) {
            life.stalledSinceMs = life.lastMediaAtMs;
            ctx.output(
                    ALERTS,
                    alert(
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
                    alert(
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
            return;
        }
        lifecycleState.update(life);
    }

    /**
     * The alerts a window can raise or resolve, in media time: DEAD_AIR, ONE_WAY_AUDIO,
     * SLOW_RESPONSE (written FIRING and RESOLVED at once: the slow answer has come) and CLIPPING.
     * They are seen when the window closes: their start is media time, their detection processing
     * time.
     */
    private void windowAlerts(
            String streamId,
            StreamLifecycle life,
            WindowMetrics metrics,
            ConversationTracker tracker,
            WindowEpisodes episodes,
            Consumer<Alert> alerts) {
        long now = System.currentTimeMillis();
        ConversationWindowMetrics conversation = metrics.conversation();
        if (conversation != null) {
            long silence = conversation.ongoingSilenceMs();
            if (life.deadAirSinceMs < 0 && silence >= alerting.deadAirMs()) {
                life.deadAirSinceMs = tracker.nextSlotMs - silence;
                alerts.accept(
                        alert(
                                streamId,
                                life,
                                Alert.Types.DEAD_AIR,
                                Alert.FIRING,
                                life.deadAirSinceMs,
                                now,
                                Map.of("silentForMs", Long.toString(silence))));
            } else if (life.deadAirSinceMs >= 0 && silence == 0) {
                alerts.accept(
                        alert(
                                streamId,
                                life,
                                Alert.Types.DEAD_AIR,
                                Alert.RESOLVED,
                                life.deadAirSinceMs,
                                now,
                                Map.of("endedAtMs", Long.toString(episodes.lastDeadAirEndMs))));
                life.deadAirSinceMs = -1;
            }
            for (Party silent : Party.values()) {
                oneWay(streamId, life, tracker, silent, now, alerts);
            }
            for (int r = 0; r < episodes.agentResponses.size(); r++) {
                long latency = episodes.agentResponses.get(r);
                if (latency > alerting.slowResponseMs()) {
                    long began = episodes.agentResponseAt.get(r) - latency;
                    Map<String, String> details = Map.of("latencyMs", Long.toString(latency));
                    for (String state : List.of(Alert.FIRING, Alert.RESOLVED)) {
                        alerts.accept(
                                alert(
                                        streamId,
                                        life,
                                        Alert.Types.SLOW_RESPONSE,
                                        state,
                                        began,
                                        now,
                                        details));
                    }
                }
            }
        }
        for (Track track : Track.values()) {
            TrackWindowMetrics figures = metrics.track(track);
            int t = WindowAccumulator.index(track);
            boolean clipping =
                    figures != null && figures.clippingRatio() > alerting.clippingRatio();
            Map<String, String> details = Map.of("track", track.wireName());
            if (clipping) {
                if (life.clippingSinceMs[t] < 0) {
                    life.clippingSinceMs[t] = metrics.windowStartMs();
                }
                if (!life.clippingFiring[t]
                        && metrics.windowEndMs() - life.clippingSinceMs[t]
                                >= alerting.clippingMs()) {
                    life.clippingFiring[t] = true;
                    alerts.accept(
                            alert(
                                    streamId,
                                    life,
                                    Alert.Types.CLIPPING,
                                    Alert.FIRING,
                                    life.clippingSinceMs[t],
                                    now,
                                    details));
                }
            } else {
                if (life.clippingFiring[t]) {
                    alerts.accept(
                            alert(
                                    streamId,
                                    life,
                                    Alert.Types.CLIPPING,
                                    Alert.RESOLVED,
                                    life.clippingSinceMs[t],
                                    now,
                                    details));
                }
                life.clippingFiring[t] = false;
                life.clippingSinceMs[t] = -1;
            }
        }
    }

    /** ONE_WAY_AUDIO: {@code silent} has said nothing for long while the other talked. */
    private void oneWay(
            String streamId,
            StreamLifecycle life,
            ConversationTracker tracker,
            Party silent,
            long now,
            Consumer<Alert> alerts) {
        int p = silent.ordinal();
        long since = tracker.silentSinceMs(silent);
        Map<String, String> details = Map.of("silentTrack", trackOf(silent).wireName());
        if (since < 0) {
            if (life.oneWaySinceMs[p] >= 0) {
                alerts.accept(
                        alert(
                                streamId,
                                life,
                                Alert.Types.ONE_WAY_AUDIO,
                                Alert.RESOLVED,
                                life.oneWaySinceMs[p],
                                now,
                                details));
                life.oneWaySinceMs[p] = -1;
            }
            return;
        }
        if (life.oneWaySinceMs[p] < 0
                && tracker.nextSlotMs - since >= alerting.oneWayMs()
                && tracker.spokeAfter(silent.other(), since)) {
            life.oneWaySinceMs[p] = since;
            alerts.accept(
                    alert(
                            streamId,
                            life,
                            Alert.Types.ONE_WAY_AUDIO,
                            Alert.FIRING,
                            since,
                            now,
                            details));
        }
    }

    /** The stream is over: what is still firing in media time ends with it. */
    private void resolveWindowAlerts(
            String streamId, StreamLifecycle life, Consumer<Alert> alerts) {
        long now = System.currentTimeMillis();
        Map<String, String> ended = Map.of("cause", "stream ended");
        if (life.deadAirSinceMs >= 0) {
            alerts.accept(
                    alert(
                            streamId,
                            life,
                            Alert.Types.DEAD_AIR,
                            Alert.RESOLVED,
                            life.deadAirSinceMs,
                            now,
                            ended));
            life.deadAirSinceMs = -1;
        }
        for (Party party : Party.values()) {
            int p = party.ordinal();
            if (life.oneWaySinceMs[p] >= 0) {
                alerts.accept(
                        alert(
                                streamId,
                                life,
                                Alert.Types.ONE_WAY_AUDIO,
                                Alert.RESOLVED,
                                life.oneWaySinceMs[p],
                                now,
                                ended));
                life.oneWaySinceMs[p] = -1;
            }
            if (life.clippingFiring[p]) {
                alerts.accept(
                        alert(
                                streamId,
                                life,
                                Alert.Types.CLIPPING,
                                Alert.RESOLVED,
                                life.clippingSinceMs[p],
                                now,
                                ended));
                life.clippingFiring[p] = false;
                life.clippingSinceMs[p] = -1;
            }
        }
    }

    private static Track trackOf(Party party) {
        return party == Party.INBOUND ? Track.INBOUND : Track.OUTBOUND;
    }

    private void clearAll() {
        lifecycleState.clear();
        windows.clear();
        inboundState.clear();
        outboundState.clear();
        conversationState.clear();
    }

    /** The stream's final figures, from everything kept of it. */
    private StreamSummary summarize(String streamId, StreamLifecycle life) throws Exception {
        TrackAnalysis inbound = inboundState.value();
        TrackAnalysis outbound = outboundState.value();
        ConversationTracker tracker = conversationState.value();
        long first = Long.MAX_VALUE;
        for (TrackAnalysis track : new TrackAnalysis[] {inbound, outbound}) {
            if (track != null && track.firstMediaMs >= 0) {
                first = Math.min(first, track.firstMediaMs);
            }
        }
        Long firstMedia = first == Long.MAX_VALUE ? null : first;
        Long lastMediaEnd = life.lastMediaEndMs >= 0 ? life.lastMediaEndMs : null;
        return new StreamSummary(
                streamId,
                life.callContext(),
                firstMedia,
                lastMediaEnd,
                firstMedia == null || lastMediaEnd == null
                        ? 0
                        : Math.max(0, lastMediaEnd - firstMedia),
                endReason(life),
                life.endError,
                life.socketClosed ? life.closeCode : null,
                List.copyOf(life.callbacks),
                List.copyOf(life.alertsRaised),
                trackSummary(inbound),
                trackSummary(outbound),
                inbound != null && outbound != null && tracker != null
                        ? conversationSummary(tracker)
                        : null);
    }

    private static String endReason(StreamLifecycle life) {
        if (life.droppedByCallback) {
            return "DroppedStream";
        }
        if (life.timedOut) {
            return "streamTimeout";
        }
        if (life.stopSeen) {
            return "StopStream";
        }
        if (life.socketClosed) {
            return "socket closed with " + life.closeCode;
        }
        // the ingest writes the end marker when the socket closes; its close event is missing
        return life.audioEnded ? "socket closed" : "stalled";
    }

    private static StreamSummary.TrackSummary trackSummary(TrackAnalysis track) {
        if (track == null || track.callFrames == 0) {
            return null;
        }
        Double speechLevel =
                track.callSpeechFrames == 0
                        ? null
                        : Levels.dbfs(track.callSpeechPowerSum / track.callSpeechFrames);
        Double noiseFloor =
                track.callNoiseFloorWindows == 0
                        ? null
                        : Levels.dbfs(track.callNoiseFloorPowerSum / track.callNoiseFloorWindows);
        TrackSequence sequence = track.sequence;
        return new StreamSummary.TrackSummary(
                track.callFrames,
                track.callSpeechFrames,
                track.callSpeechFrames * SLOT_MS,
                (track.callFrames - track.callSpeechFrames) / (double) track.callFrames,
                speechLevel,
                noiseFloor,
                speechLevel == null || noiseFloor == null ? null : speechLevel - noiseFloor,
                Levels.peakDbfs(track.callPeak),
                track.callSamples == 0 ? 0 : track.callClippedSamples / (double) track.callSamples,
                new ChunkHealth(
                        sequence.received,
                        sequence.missing,
                        sequence.duplicates,
                        sequence.reordered,
                        sequence.late + track.lateFrames,
                        sequence.jitterMs,
                        sequence.longestGapMs));
    }

    private static StreamSummary.ConversationSummary conversationSummary(ConversationTracker c) {
        long talk = c.inboundTalkMs + c.outboundTalkMs;
        return new StreamSummary.ConversationSummary(
                talk == 0 ? null : c.outboundTalkMs / (double) talk,
                c.overlapMs,
                c.silenceMs,
                c.deadAirEpisodes,
                c.longestDeadAirMs,
                c.inboundInterruptions,
                c.outboundInterruptions,
                c.inboundBackchannels,
                c.outboundBackchannels,
                c.inboundTurns,
                c.outboundTurns,
                c.inboundLongestMonologueMs,
                c.outboundLongestMonologueMs,
                c.outboundResponses.percentile(50),
                c.outboundResponses.percentile(95),
                c.outboundResponses.count == 0 ? null : c.outboundResponses.maxMs,
                c.inboundResponses.percentile(50),
                c.inboundResponses.percentile(95),
                c.inboundResponses.count == 0 ? null : c.inboundResponses.maxMs);
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
                analysis.sequence.releaseAll(released -> analyse(released, analysis, timers));
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
        resolveWindowAlerts(streamId, life, alerts);
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
        WindowEpisodes episodes = new WindowEpisodes();
        ConversationTracker tracker = null;
        if (inbound != null && outbound != null) {
            tracker = conversationState.value();
            if (tracker == null) {
                tracker = new ConversationTracker();
            }
            conversation =
                    followConversation(tracker, episodes, windowStart, window, streamEndMs, finish);
            conversationState.update(tracker);
        }
        WindowMetrics metrics =
                new WindowMetrics(
                        streamId,
                        windowStart,
                        windowStart + windowMs,
                        life == null ? null : life.callContext(),
                        trackMetrics(window, Track.INBOUND, inbound),
                        trackMetrics(window, Track.OUTBOUND, outbound),
                        conversation);
        if (life != null) {
            windowAlerts(streamId, life, metrics, tracker, episodes, alerts);
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

    private ConversationWindowMetrics followConversation(
            ConversationTracker tracker,
            WindowEpisodes episodes,
            long windowStart,
            WindowAccumulator window,
            long streamEndMs,
            boolean finish) {
        long bothSpeaking = 0;
        long bothSilent = 0;
        for (int s = 0; s < slotsPerWindow; s++) {
            long slotStart = windowStart + (long) s * SLOT_MS;
            if (slotStart >= streamEndMs) {
                break;
            }
            byte in = window.inboundSlots[s];
            byte out = window.outboundSlots[s];
            if (!tracker.started
                    && in == WindowAccumulator.NO_FRAME
                    && out == WindowAccumulator.NO_FRAME) {
                // before the stream's first frame: not silence, just not yet a call
                continue;
            }
            boolean inSpeech = in == WindowAccumulator.SPEECH;
            boolean outSpeech = out == WindowAccumulator.SPEECH;
            if (inSpeech && outSpeech) {
                bothSpeaking += SLOT_MS;
            } else if (!inSpeech && !outSpeech) {
                bothSilent += SLOT_MS;
            }
            tracker.advance(slotStart, inSpeech, outSpeech, rules, episodes);
        }
        if (finish) {
            tracker.finish(rules, episodes);
        }
        long ongoing = tracker.currentSilenceMs();
        return new ConversationWindowMetrics(
                bothSpeaking,
                bothSilent,
                episodes.interruptions[0],
                episodes.interruptions[1],
                episodes.backchannels[0],
                episodes.backchannels[1],
                episodes.deadAirEpisodes,
                episodes.longestDeadAirMs,
                finish ? 0 : ongoing,
                episodes.turns[0],
                episodes.turns[1],
                episodes.agentResponses.stream().mapToLong(Long::longValue).toArray(),
                episodes.callerResponses.stream().mapToLong(Long::longValue).toArray());
    }

    private static TrackWindowMetrics trackMetrics(
            WindowAccumulator window, Track track, TrackAnalysis analysis) {
        int i = WindowAccumulator.index(track);
        int frames = window.frames[i];
        if (frames == 0 || analysis == null) {
            return null;
        }
        int speechFrames = window.speechFrames[i];
        Double windowNoiseFloor = window.noiseFloorDbfs(track);
        analysis.callFrames += frames;
        analysis.callSpeechFrames += speechFrames;
        analysis.callPowerSum += window.powerSum[i];
        analysis.callSpeechPowerSum += window.speechPowerSum[i];
        if (windowNoiseFloor != null) {
            analysis.callNoiseFloorPowerSum += Math.pow(10.0, windowNoiseFloor / 10.0);
            analysis.callNoiseFloorWindows++;
        }
        analysis.callPeak = Math.max(analysis.callPeak, window.peak[i]);
        analysis.callClippedSamples += window.clippedSamples[i];
        analysis.callSamples += window.samples[i];
        Double speechLevel =
                speechFrames == 0 ? null : Levels.dbfs(window.speechPowerSum[i] / speechFrames);
        Double noiseFloor = windowNoiseFloor;
        return new TrackWindowMetrics(
                frames,
                Levels.dbfs(window.powerSum[i] / frames),
                speechFrames,
                (long) speechFrames * SLOT_MS,
                (frames - speechFrames) / (double) frames,
                speechLevel,
                noiseFloor,
                speechLevel == null || noiseFloor == null ? null : speechLevel - noiseFloor,
                Levels.peakDbfs(window.peak[i]),
                window.samples[i] == 0 ? 0 : window.clippedSamples[i] / (double) window.samples[i],
                reportHealth(analysis));
    }

    /** What was noticed of the track's chunk arrival since the previous window. */
    private static ChunkHealth reportHealth(TrackAnalysis analysis) {
        TrackSequence sequence = analysis.sequence;
        long late = sequence.late + analysis.lateFrames;
        ChunkHealth health =
                new ChunkHealth(
                        sequence.received - analysis.reportedReceived,
                        sequence.missing - analysis.reportedMissing,
                        sequence.duplicates - analysis.reportedDuplicates,
                        sequence.reordered - analysis.reportedReordered,
                        late - analysis.reportedLate,
                        sequence.jitterMs,
                        sequence.longestGapSinceReportMs);
        analysis.reportedReceived = sequence.received;
        analysis.reportedMissing = sequence.missing;
        analysis.reportedDuplicates = sequence.duplicates;
        analysis.reportedReordered = sequence.reordered;
        analysis.reportedLate = late;
        sequence.longestGapSinceReportMs = 0;
        return health;
    }

    /** The conversation's episodes that end while one window is followed. */
    private static final class WindowEpisodes implements ConversationListener {
        final int[] interruptions = new int[2];
        final int[] backchannels = new int[2];
        final int[] turns = new int[2];
        int deadAirEpisodes;
        long longestDeadAirMs;
        long lastDeadAirEndMs;
        final List<Long> agentResponses = new ArrayList<>();
        final List<Long> agentResponseAt = new ArrayList<>();
        final List<Long> callerResponses = new ArrayList<>();

        @Override
        public void deadAir(long startMs, long endMs) {
            deadAirEpisodes++;
            longestDeadAirMs = Math.max(longestDeadAirMs, endMs - startMs);
            lastDeadAirEndMs = endMs;
        }

        @Override
        public void talkOver(Party startedSecond, long startMs, long endMs, boolean interruption) {
            if (startedSecond != null) {
                (interruption ? interruptions : backchannels)[startedSecond.ordinal()]++;
            }
        }

        @Override
        public void turn(Party party, long startMs, long endMs) {
            turns[party.ordinal()]++;
        }

        @Override
        public void response(Party from, Party to, long latencyMs, long atMs) {
            (to == Party.OUTBOUND ? agentResponses : callerResponses).add(latencyMs);
            if (to == Party.OUTBOUND) {
                agentResponseAt.add(atMs);
            }
        }
    }
}
