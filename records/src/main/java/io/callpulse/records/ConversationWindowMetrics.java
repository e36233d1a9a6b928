package io.callpulse.records;

/**
 * What the two parties did together in one window of {@link WindowMetrics}. Episodes (dead air,
 * talk-over, turns, responses) are counted in the window in which they end; definitions are in
 * docs/metrics.md.
 *
 * @param bothSpeakingMs time both parties spoke (talk-over)
 * @param bothSilentMs time neither spoke
 * @param interruptionsByInbound overlaps of at least 500 ms the caller began while the agent spoke
 * @param interruptionsByOutbound overlaps of at least 500 ms the agent began while the caller spoke
 * @param backchannelsByInbound shorter overlaps the caller began
 * @param backchannelsByOutbound shorter overlaps the agent began
 * @param deadAirEpisodes stretches of at least 3 s with nobody speaking that ended in the window
 * @param longestDeadAirMs the longest of those, 0 without any
 * @param ongoingSilenceMs how long nobody has spoken at the window's end (0 if someone speaks)
 * @param inboundTurns turns the caller took
 * @param outboundTurns turns the agent took
 * @param agentResponseMs latencies from the caller's end of speech to the agent's start
 * @param callerResponseMs latencies from the agent's end of speech to the caller's start
 */
public record ConversationWindowMetrics(
        long bothSpeakingMs,
        long bothSilentMs,
        int interruptionsByInbound,
        int interruptionsByOutbound,
        int backchannelsByInbound,
        int backchannelsByOutbound,
        int deadAirEpisodes,
        long longestDeadAirMs,
        long ongoingSilenceMs,
        int inboundTurns,
        int outboundTurns,
        long[] agentResponseMs,
        long[] callerResponseMs) {

    @Override
    public boolean equals(Object other) {
        return other instanceof ConversationWindowMetrics that
                && bothSpeakingMs == that.bothSpeakingMs
                && bothSilentMs == that.bothSilentMs
                && interruptionsByInbound == that.interruptionsByInbound
                && interruptionsByOutbound == that.interruptionsByOutbound
                && backchannelsByInbound == that.backchannelsByInbound
                && backchannelsByOutbound == that.backchannelsByOutbound
                && deadAirEpisodes == that.deadAirEpisodes
                && longestDeadAirMs == that.longestDeadAirMs
                && ongoingSilenceMs == that.ongoingSilenceMs
                && inboundTurns == that.inboundTurns
                && outboundTurns == that.outboundTurns
                && java.util.Arrays.equals(agentResponseMs, that.agentResponseMs)
                && java.util.Arrays.equals(callerResponseMs, that.callerResponseMs);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                                bothSpeakingMs,
                                bothSilentMs,
                                deadAirEpisodes,
                                inboundTurns,
                                outboundTurns)
                        * 31
                + java.util.Arrays.hashCode(agentResponseMs) * 17
                + java.util.Arrays.hashCode(callerResponseMs);
    }

    @Override
    public String toString() {
        return "ConversationWindowMetrics[bothSpeakingMs="
                + bothSpeakingMs
                + ", bothSilentMs="
                + bothSilentMs
                + ", interruptions="
                + interruptionsByInbound
                + "/"
                + interruptionsByOutbound
                + ", backchannels="
                + backchannelsByInbound
                + "/"
                + backchannelsByOutbound
                + ", deadAirEpisodes="
                + deadAirEpisodes
                + ", longestDeadAirMs="
                + longestDeadAirMs
                + ", ongoingSilenceMs="
                + ongoingSilenceMs
                + ", turns="
                + inboundTurns
                + "/"
                + outboundTurns
                + ", agentResponseMs="
                + java.util.Arrays.toString(agentResponseMs)
                + ", callerResponseMs="
                + java.util.Arrays.toString(callerResponseMs)
                + "]";
    }
}
