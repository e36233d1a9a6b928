package io.callpulse.job.state;

import io.callpulse.records.CallContext;
import java.util.List;
import java.util.Map;

/**
 * What the job knows of a stream's life from its events (the WebSocket's start and close, Plivo's
 * status callbacks) and from when its media last arrived, for the lifecycle alerts and to carry the
 * call's identity into every output. Keyed state, so a POJO.
 */
public class StreamLifecycle {

    public String callId;
    public String from;
    public String to;
    public Map<String, String> extraHeaders;
    public List<String> tracks;
    public String encoding;
    public Integer sampleRate;

    public boolean startSeen;

    /**
     * Every window that ends at or before this media time has been emitted early, complete (see the
     * analyzer): a frame for one of them is late. {@code Long.MIN_VALUE} before any.
     */
    public long windowsClosedBeforeMs = Long.MIN_VALUE;

    public long startedAtMs;
    public boolean mediaSeen;

    /** Processing time of the last audio record. */
    public long lastMediaAtMs;

    /** A StopStream callback or a {@code stop} message: the stream ended on purpose. */
    public boolean stopSeen;

    public boolean socketClosed;
    public int closeCode;
    public long closedAtMs;

    /**
     * The end-of-stream marker came: the audio state is gone, the lifecycle waits out its grace.
     */
    public boolean audioEnded;

    public long audioEndedAtMs;

    /** When the one idle timer is due; re-armed from the last activity when it fires early. */
    public long idleTimerAtMs;

    public long lastActivityAtMs;

    public boolean droppedAlerted;
    public boolean noMediaAlerted;

    public boolean degradedAlerted;

    /** The status callbacks seen, by Event, in arrival order (for the summary). */
    public List<String> callbacks = new java.util.ArrayList<>();

    /** The alerts raised, by type, in order (for the summary). */
    public List<String> alertsRaised = new java.util.ArrayList<>();

    /** Plivo's Error on the callback that ended the stream, if any. */
    public String endError;

    public boolean droppedByCallback;
    public boolean timedOut;

    /** Media time where the stream's audio ended (from its end-of-stream marker), -1 before. */
    public long lastMediaEndMs = -1;

    /** Media time the firing DEAD_AIR began, or -1. */
    public long deadAirSinceMs = -1;

    /** Media time the firing ONE_WAY_AUDIO of the silent party began, or -1, per track. */
    public long[] oneWaySinceMs = {-1, -1};

    /** Media time the current run of clipping windows began, or -1, per track. */
    public long[] clippingSinceMs = {-1, -1};

    public boolean[] clippingFiring = {false, false};

    /**
     * When the stream's one pending stall check fires (processing time), or -1 when none is: then
     * the next media sets one.
     */
    public long stallCheckAtMs = -1;

    /** Processing time the current stall began (the last media before it), or -1 when flowing. */
    public long stalledSinceMs = -1;

    public StreamLifecycle() {}

    /** What the events have said so far of who and what the stream is. */
    public CallContext callContext() {
        return new CallContext(callId, from, to, extraHeaders, tracks, encoding, sampleRate);
    }
}
