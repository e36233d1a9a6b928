package io.callpulse.job.analysis;

import io.callpulse.job.state.StreamLifecycle;
import io.callpulse.job.state.TrackAnalysis;
import io.callpulse.job.state.TrackSequence;
import io.callpulse.records.ChunkHealth;
import io.callpulse.records.StreamSummary;
import io.callpulse.udf.conversation.ConversationTracker;
import io.callpulse.udf.level.Levels;
import java.util.List;

/** A stream's final figures, from everything the job kept of it. */
public final class StreamSummaries {

    private static final int SLOT_MS = ConversationTracker.SLOT_MS;

    private StreamSummaries() {}

    /** The stream's final figures, from everything kept of it. */
    public static StreamSummary summarize(
            String streamId,
            StreamLifecycle life,
            TrackAnalysis inbound,
            TrackAnalysis outbound,
            ConversationTracker tracker) {
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
}
