package io.callpulse.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The messages of one simulated stream, in order, each due at a 20 ms tick, produced lazily (a long
 * call costs a few fields, not its messages). The same spec always gives the same steps; see {@link
 * Scenario} for what each scenario sends.
 */
public final class CallScript {

    /** Ticks between the media of one second: the period of the reordered and malformed faults. */
    static final int TICKS_PER_SECOND = 50;

    /** One thing to do on the connection once its tick has come. */
    public sealed interface Step permits Send, Close, Abort {
        long dueTick();
    }

    /** What a sent message is, for counting. */
    public enum Kind {
        START,
        MEDIA,
        DTMF,
        STOP,
        MALFORMED,
        UNKNOWN_EVENT,
        /** playedStream or clearedAudio, answering the bot on the tap route. */
        REPLY
    }

    public record Send(long dueTick, Kind kind, String text) implements Step {}

    /** Close the connection with a close frame carrying {@code code}. */
    public record Close(long dueTick, int code) implements Step {}

    /** Cut the TCP connection: no close frame. */
    public record Abort(long dueTick) implements Step {}

    /**
     * @param scenario what happens to the stream
     * @param streamId Plivo's StreamID
     * @param callId the CallUUID
     * @param format the audio format
     * @param inbound the caller's payloads, or {@code null}
     * @param outbound the agent's payloads, or {@code null}
     * @param extraHeaders the extraHeaders attribute, or {@code null}
     * @param startEpochMs the timestamp of the first chunk
     * @param chunks media messages per track (a track with fewer payloads repeats its last)
     */
    public record Spec(
            Scenario scenario,
            String streamId,
            String callId,
            StreamFormat format,
            EncodedTrack inbound,
            EncodedTrack outbound,
            String extraHeaders,
            long startEpochMs,
            int chunks) {}

    private final Spec spec;
    private final PlivoMessages.MediaWriter writer;
    private final int mediaEndTick;
    private final ArrayDeque<Step> ready = new ArrayDeque<>();
    private long sequence = 1;
    private int tick;
    private boolean finished;

    public CallScript(Spec spec) {
        this.spec = spec;
        this.writer = new PlivoMessages.MediaWriter(spec.streamId(), spec.extraHeaders());
        this.mediaEndTick =
                switch (spec.scenario()) {
                    case NO_MEDIA -> 0;
                    case DROPPED, SILENT_DROP -> spec.chunks() * 3 / 5;
                    default -> spec.chunks();
                };
    }

    public Spec spec() {
        return spec;
    }

    /** The tick at which media stops for good (the drop point of dropped and silent-drop). */
    public int mediaEndTick() {
        return mediaEndTick;
    }

    /** The next step, or {@code null} after the last (a close or an abort). */
    public Step next() {
        while (ready.isEmpty() && !finished) {
            fill(tick++);
        }
        return ready.poll();
    }

    /** A sequence number for a message outside the script (an answer to the bot). */
    public long takeSequence() {
        return sequence++;
    }

    /** Ends the script early: its stop message, after which the caller closes with 1000. */
    Send stopNow() {
        finished = true;
        ready.clear();
        return new Send(
                0,
                Kind.STOP,
                PlivoMessages.stop(spec.streamId(), spec.callId(), tracks(), sequence++));
    }

    /** Every step, for tests. */
    public List<Step> all() {
        List<Step> steps = new ArrayList<>();
        for (Step step = next(); step != null; step = next()) {
            steps.add(step);
        }
        return steps;
    }

    /**
     * The 0-based chunk indexes sent at {@code tick}: one, except in the reordered scenario, whose
     * positions 10 and 11 of each second are swapped, position 25 doubled and position 40 lost.
     */
    public static int[] chunksAt(Scenario scenario, int tick, int chunks) {
        if (scenario != Scenario.REORDERED) {
            return new int[] {tick};
        }
        return switch (tick % TICKS_PER_SECOND) {
            case 10 -> tick + 1 < chunks ? new int[] {tick + 1} : new int[] {tick};
            case 11 -> new int[] {tick - 1};
            case 25 -> new int[] {tick, tick};
            case 40 -> new int[] {};
            default -> new int[] {tick};
        };
    }

    private void fill(int t) {
        long due = t;
        if (t == 0) {
            ready.add(new Send(0, Kind.START, startMessage()));
        }
        if (t < mediaEndTick) {
            boolean malformed = spec.scenario() == Scenario.MALFORMED;
            int position = t % TICKS_PER_SECOND;
            if (malformed && position == 5) {
                // cut off mid-object
                ready.add(
                        new Send(
                                due,
                                Kind.MALFORMED,
                                "{\"event\":\"media\",\"sequenceNumber\":"
                                        + sequence++
                                        + ",\"streamId\":"
                                        + PlivoMessages.quote(spec.streamId())
                                        + ",\"media\":{\"track\":\"inbound\",\"payload\":"));
            }
            if (malformed && position == 20) {
                ready.add(
                        new Send(
                                due,
                                Kind.UNKNOWN_EVENT,
                                PlivoMessages.unknownEvent(
                                        spec.streamId(), sequence++, "muteStream")));
            }
            for (int chunk : chunksAt(spec.scenario(), t, spec.chunks())) {
                // the bad payloads go on the first track the stream has
                media("inbound", spec.inbound(), chunk, due, malformed ? position : -1);
                media(
                        "outbound",
                        spec.outbound(),
                        chunk,
                        due,
                        malformed && spec.inbound() == null ? position : -1);
            }
            if (t == spec.chunks() / 2) {
                ready.add(
                        new Send(
                                due,
                                Kind.DTMF,
                                PlivoMessages.dtmf(
                                        spec.streamId(),
                                        sequence++,
                                        spec.inbound() != null ? "inbound" : "outbound",
                                        "5",
                                        spec.startEpochMs() + t * 20L,
                                        spec.extraHeaders())));
            }
        }
        switch (spec.scenario()) {
            case DROPPED -> {
                if (t == mediaEndTick) {
                    ready.add(new Abort(due));
                    finished = true;
                }
            }
            case SILENT_DROP, NO_MEDIA -> {
                if (t == spec.chunks()) {
                    ready.add(new Close(due, 1000));
                    finished = true;
                }
            }
            default -> {
                if (t == spec.chunks()) {
                    ready.add(
                            new Send(
                                    due,
                                    Kind.STOP,
                                    PlivoMessages.stop(
                                            spec.streamId(), spec.callId(), tracks(), sequence++)));
                    ready.add(new Close(due, 1000));
                    finished = true;
                }
            }
        }
    }

    private void media(String track, EncodedTrack audio, int chunk, long due, int malformedAt) {
        if (audio == null) {
            return;
        }
        String payload = audio.payload(Math.min(chunk, audio.chunks() - 1));
        Kind kind = Kind.MEDIA;
        if (malformedAt == 10) {
            payload = "***not base64***";
            kind = Kind.MALFORMED;
        } else if (malformedAt == 15) {
            // 7 bytes: under 1 ms, and an odd length that is not whole L16 samples
            payload = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7});
            kind = Kind.MALFORMED;
        }
        ready.add(
                new Send(
                        due,
                        kind,
                        writer.media(
                                sequence++,
                                track,
                                spec.startEpochMs() + chunk * 20L,
                                chunk + 1L,
                                payload)));
    }

    private List<String> tracks() {
        List<String> tracks = new ArrayList<>(2);
        if (spec.inbound() != null) {
            tracks.add("inbound");
        }
        if (spec.outbound() != null) {
            tracks.add("outbound");
        }
        return tracks;
    }

    private String startMessage() {
        // PlivoMessages.start reads only ids, format, which tracks exist and extra headers
        PlivoCall shape =
                new PlivoCall(
                        spec.streamId(),
                        spec.callId(),
                        spec.format(),
                        spec.inbound() == null ? null : new short[0],
                        spec.outbound() == null ? null : new short[0],
                        spec.extraHeaders());
        return PlivoMessages.start(shape, sequence++);
    }
}
