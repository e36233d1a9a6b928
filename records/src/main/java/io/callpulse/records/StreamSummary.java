package io.callpulse.records;

import java.util.List;

/**
 * One value of the {@code callpulse.summaries} topic (JSON): the final figures of one stream,
 * written once, after it ended and the grace period for late callbacks has passed.
 *
 * @param streamId the StreamID
 * @param call who and what the stream was
 * @param firstMediaMs media time of the stream's first audio, null without audio
 * @param lastMediaEndMs media time where its audio ended, null without audio
 * @param durationMs {@code lastMediaEndMs - firstMediaMs}, 0 without audio
 * @param endReason how it ended: {@code StopStream}, {@code streamTimeout}, {@code DroppedStream},
 *     {@code socket closed with <code>}, or {@code stalled} (nothing ended it; forgotten after the
 *     idle timeout)
 * @param endError Plivo's Error for the end, when a callback gave one
 * @param closeCode the socket's close code, when the close was seen
 * @param callbacks the status callbacks seen, by Event, in arrival order
 * @param alerts the alerts raised on the stream, by type, in order
 * @param inbound the caller's track, null without its audio
 * @param outbound the agent's track, null without its audio
 * @param conversation the two together, null unless the stream had both tracks
 */
public record StreamSummary(
        String streamId,
        CallContext call,
        Long firstMediaMs,
        Long lastMediaEndMs,
        long durationMs,
        String endReason,
        String endError,
        Integer closeCode,
        List<String> callbacks,
        List<String> alerts,
        TrackSummary inbound,
        TrackSummary outbound,
        ConversationSummary conversation) {

    /**
     * One track over the whole stream; definitions as in {@link TrackWindowMetrics}, over all its
     * frames. The noise floor is the power mean of the windows' noise floors.
     */
    public record TrackSummary(
            long frames,
            long speechFrames,
            long talkMs,
            double silenceRatio,
            Double speechLevelDbfs,
            Double noiseFloorDbfs,
            Double snrDb,
            double peakDbfs,
            double clippingRatio,
            ChunkHealth health) {}

    /**
     * The conversation over the whole stream; definitions as in {@link ConversationWindowMetrics}.
     * Latency percentiles are nearest-rank, exact below 2 s and to 100 ms up to 10 s; null without
     * any response in that direction.
     */
    public record ConversationSummary(
            Double talkRatio,
            long bothSpeakingMs,
            long bothSilentMs,
            int deadAirEpisodes,
            long longestDeadAirMs,
            int interruptionsByInbound,
            int interruptionsByOutbound,
            int backchannelsByInbound,
            int backchannelsByOutbound,
            int inboundTurns,
            int outboundTurns,
            long inboundLongestMonologueMs,
            long outboundLongestMonologueMs,
            Long agentResponseP50Ms,
            Long agentResponseP95Ms,
            Long agentResponseMaxMs,
            Long callerResponseP50Ms,
            Long callerResponseP95Ms,
            Long callerResponseMaxMs) {}
}
