package io.callpulse.job.analysis;

import io.callpulse.job.state.TrackAnalysis;
import io.callpulse.job.state.TrackSequence;
import io.callpulse.job.state.WindowAccumulator;
import io.callpulse.records.ChunkHealth;
import io.callpulse.records.ConversationWindowMetrics;
import io.callpulse.records.Track;
import io.callpulse.records.TrackWindowMetrics;
import io.callpulse.udf.conversation.ConversationListener;
import io.callpulse.udf.conversation.ConversationRules;
import io.callpulse.udf.conversation.ConversationTracker;
import io.callpulse.udf.conversation.Party;
import io.callpulse.udf.level.Levels;
import java.util.ArrayList;
import java.util.List;

/**
 * A closing window's figures: each track's levels, speech and chunk health from its frames, and the
 * conversation followed slot by slot. The per-call totals a summary needs are added to the tracks'
 * state on the way.
 */
public final class WindowFigures {

    private static final int SLOT_MS = ConversationTracker.SLOT_MS;

    private WindowFigures() {}

    public static ConversationWindowMetrics followConversation(
            ConversationTracker tracker,
            WindowEpisodes episodes,
            long windowStart,
            WindowAccumulator window,
            long streamEndMs,
            boolean finish,
            ConversationRules rules,
            int slotsPerWindow) {
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

    public static TrackWindowMetrics trackMetrics(
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
    public static final class WindowEpisodes implements ConversationListener {
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
