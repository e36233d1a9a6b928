package io.callpulse.job.analysis;

import io.callpulse.job.AlertSettings;
import io.callpulse.job.state.StreamLifecycle;
import io.callpulse.job.state.WindowAccumulator;
import io.callpulse.records.Alert;
import io.callpulse.records.ConversationWindowMetrics;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import io.callpulse.records.TrackWindowMetrics;
import io.callpulse.records.WindowMetrics;
import io.callpulse.udf.conversation.ConversationTracker;
import io.callpulse.udf.conversation.Party;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The alerts a stream's audio raises as its windows close (DEAD_AIR, ONE_WAY_AUDIO, SLOW_RESPONSE,
 * CLIPPING), and how every alert of callpulse is made: a deterministic id, the type's severity, the
 * call's identity. Their episode state lives in the stream's {@link StreamLifecycle}.
 */
public final class StreamAlerts {

    private final AlertSettings alerting;

    public StreamAlerts(AlertSettings alerting) {
        this.alerting = alerting;
    }

    /** An alert of the stream; a FIRING one is also listed on the lifecycle for the summary. */
    public static Alert alert(
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

    /** A callback alert's details: the cause and Plivo's Error, when it gave one. */
    public static Map<String, String> callbackDetails(String cause, StreamEvent event) {
        Map<String, String> details = new java.util.TreeMap<>();
        details.put("cause", cause);
        String error = event.attributes() == null ? null : event.attributes().get("Error");
        if (error != null) {
            details.put("error", error);
        }
        return details;
    }

    /**
     * The alerts a window can raise or resolve, in media time: DEAD_AIR, ONE_WAY_AUDIO,
     * SLOW_RESPONSE (written FIRING and RESOLVED at once: the slow answer has come) and CLIPPING.
     * They are seen when the window closes: their start is media time, their detection processing
     * time.
     */
    public void windowAlerts(
            String streamId,
            StreamLifecycle life,
            WindowMetrics metrics,
            ConversationTracker tracker,
            WindowFigures.WindowEpisodes episodes,
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
                endDeadAir(
                        streamId,
                        life,
                        now,
                        Map.of("endedAtMs", Long.toString(episodes.lastDeadAirEndMs)),
                        alerts);
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
                endClipping(streamId, life, t, now, details, alerts);
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
            endOneWay(streamId, life, p, now, details, alerts);
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
    public void resolveWindowAlerts(String streamId, StreamLifecycle life, Consumer<Alert> alerts) {
        long now = System.currentTimeMillis();
        Map<String, String> ended = Map.of("cause", "stream ended");
        endDeadAir(streamId, life, now, ended, alerts);
        for (Party party : Party.values()) {
            endOneWay(streamId, life, party.ordinal(), now, ended, alerts);
            endClipping(streamId, life, party.ordinal(), now, ended, alerts);
        }
    }

    /** Resolves a firing DEAD_AIR, if any. */
    private static void endDeadAir(
            String streamId,
            StreamLifecycle life,
            long now,
            Map<String, String> details,
            Consumer<Alert> alerts) {
        if (life.deadAirSinceMs >= 0) {
            alerts.accept(
                    alert(
                            streamId,
                            life,
                            Alert.Types.DEAD_AIR,
                            Alert.RESOLVED,
                            life.deadAirSinceMs,
                            now,
                            details));
            life.deadAirSinceMs = -1;
        }
    }

    /** Resolves a firing ONE_WAY_AUDIO of the party at {@code p}, if any. */
    private static void endOneWay(
            String streamId,
            StreamLifecycle life,
            int p,
            long now,
            Map<String, String> details,
            Consumer<Alert> alerts) {
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
    }

    /** Resolves a firing CLIPPING of the track at {@code t}, if any, and ends its run. */
    private static void endClipping(
            String streamId,
            StreamLifecycle life,
            int t,
            long now,
            Map<String, String> details,
            Consumer<Alert> alerts) {
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

    private static Track trackOf(Party party) {
        return party == Party.INBOUND ? Track.INBOUND : Track.OUTBOUND;
    }
}
