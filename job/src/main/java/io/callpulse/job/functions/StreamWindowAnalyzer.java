package io.callpulse.job.functions;

import io.callpulse.job.state.TrackFramer;
import io.callpulse.job.state.WindowAccumulator;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.Track;
import io.callpulse.records.TrackWindowMetrics;
import io.callpulse.records.WindowMetrics;
import io.callpulse.udf.level.Levels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per stream (keyed by StreamID): cuts both tracks into 20 ms frames, measures each frame, and
 * emits one {@link WindowMetrics} per event-time window.
 *
 * <p>A window is emitted when the watermark passes its end, or at once when the stream's
 * end-of-stream marker arrives (it follows the stream's last audio in the partition, so the last
 * windows need not wait for a watermark that may never come). The marker clears all of the stream's
 * state and timers. A frame whose window was already emitted is late: counted, dropped.
 */
public final class StreamWindowAnalyzer
        extends KeyedProcessFunction<String, AudioRecord, WindowMetrics>
        implements TrackFramer.FrameSink {

    private static final long serialVersionUID = 1L;

    private final long windowMs;

    private transient MapState<Long, WindowAccumulator> windows;
    private transient ValueState<TrackFramer> inboundFramer;
    private transient ValueState<TrackFramer> outboundFramer;
    private transient Counter lateFrames;

    // scratch, valid during one processElement call
    private transient short[] samples;
    private transient Track currentTrack;
    private transient TimerService currentTimers;

    public StreamWindowAnalyzer(long windowMs) {
        if (windowMs <= 0) {
            throw new IllegalArgumentException("window length: expected > 0 ms, found " + windowMs);
        }
        this.windowMs = windowMs;
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
        inboundFramer =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "inbound-framer", Types.POJO(TrackFramer.class)));
        outboundFramer =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "outbound-framer", Types.POJO(TrackFramer.class)));
        lateFrames = getRuntimeContext().getMetricGroup().counter("lateFrames");
        samples = new short[0];
    }

    @Override
    public void processElement(AudioRecord record, Context ctx, Collector<WindowMetrics> out)
            throws Exception {
        if (record.endOfStream()) {
            emitAllAndClear(ctx.getCurrentKey(), ctx.timerService(), out);
            return;
        }
        int count = record.sampleCount();
        if (samples.length < count) {
            samples = new short[count];
        }
        record.encoding().decode(record.payload(), 0, record.payload().length, samples, 0);

        ValueState<TrackFramer> framerState =
                record.track() == Track.INBOUND ? inboundFramer : outboundFramer;
        TrackFramer framer = framerState.value();
        if (framer == null) {
            framer = new TrackFramer();
        }
        currentTrack = record.track();
        currentTimers = ctx.timerService();
        framer.accept(samples, count, record.mediaTimestampMs(), record.sampleRate(), this);
        framerState.update(framer);
    }

    /** One complete frame of the current record's track. */
    @Override
    public void frame(long frameStartMs, short[] frameSamples, int offset, int length) {
        long windowStart = frameStartMs - Math.floorMod(frameStartMs, windowMs);
        long windowEnd = windowStart + windowMs;
        if (windowEnd - 1 <= currentTimers.currentWatermark()) {
            lateFrames.inc();
            return;
        }
        try {
            WindowAccumulator window = windows.get(windowStart);
            if (window == null) {
                window = new WindowAccumulator();
                currentTimers.registerEventTimeTimer(windowEnd - 1);
            }
            window.addFrame(currentTrack, Levels.meanSquare(frameSamples, offset, length));
            windows.put(windowStart, window);
        } catch (Exception e) {
            throw new IllegalStateException("keyed state failed", e);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowMetrics> out)
            throws Exception {
        long windowStart = timestamp + 1 - windowMs;
        WindowAccumulator window = windows.get(windowStart);
        if (window != null) {
            out.collect(toMetrics(ctx.getCurrentKey(), windowStart, window));
            windows.remove(windowStart);
        }
    }

    private void emitAllAndClear(String streamId, TimerService timers, Collector<WindowMetrics> out)
            throws Exception {
        List<Long> starts = new ArrayList<>();
        for (Map.Entry<Long, WindowAccumulator> entry : windows.entries()) {
            starts.add(entry.getKey());
        }
        starts.sort(null);
        for (long start : starts) {
            out.collect(toMetrics(streamId, start, windows.get(start)));
            timers.deleteEventTimeTimer(start + windowMs - 1);
        }
        windows.clear();
        inboundFramer.clear();
        outboundFramer.clear();
    }

    private WindowMetrics toMetrics(String streamId, long windowStart, WindowAccumulator window) {
        return new WindowMetrics(
                streamId,
                windowStart,
                windowStart + windowMs,
                trackMetrics(window, Track.INBOUND),
                trackMetrics(window, Track.OUTBOUND));
    }

    private static TrackWindowMetrics trackMetrics(WindowAccumulator window, Track track) {
        int i = WindowAccumulator.index(track);
        int frames = window.frames[i];
        if (frames == 0) {
            return null;
        }
        return new TrackWindowMetrics(frames, Levels.dbfs(window.powerSum[i] / frames));
    }
}
