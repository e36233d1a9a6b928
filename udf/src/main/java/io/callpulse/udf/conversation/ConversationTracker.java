package io.callpulse.udf.conversation;

/**
 * Follows a two-party call slot by slot (20 ms, one analysis frame) from each party's speech
 * decision, and keeps the call's conversation figures: talk time, silence, dead air, talk-over
 * (interruptions and backchannel), turns, monologues and response latencies. Episodes are told to a
 * {@link ConversationListener} as they end, so a caller can count them per window or raise alerts.
 *
 * <p>Definitions, as implemented:
 *
 * <ul>
 *   <li>Dead air: a run of slots where neither party speaks, counted when it lasts at least {@link
 *       ConversationRules#deadAirMinMs()}. Silence before the first word counts too.
 *   <li>Talk-over: a run of slots where both speak. If one party started while the other was
 *       already speaking, that party started second: the overlap is an interruption by them when it
 *       lasts at least {@link ConversationRules#interruptionMinMs()}, else a backchannel by them.
 *       Overlaps where both started in the same slot are counted as simultaneous starts.
 *   <li>Floor and turns: a party who speaks alone holds the floor. Each time the floor passes to a
 *       party (the first time included) that party takes a turn, which starts where its current
 *       stretch of speech started and ends where its last speech before the floor passed ended. The
 *       longest turn is the longest monologue.
 *   <li>Response latency: when the floor passes from A to B and B started speaking after A had
 *       stopped, the gap between A's end and B's start. A take-over by overlap has no latency.
 * </ul>
 *
 * <p>Slots must come in order; a skipped slot is taken as silence on both tracks. A plain POJO with
 * public fields, so that Flink keeps it in keyed state without Kryo.
 */
public class ConversationTracker {

    /** One analysis frame. */
    public static final int SLOT_MS = 20;

    private static final int NONE = 0;
    private static final int SIMULTANEOUS = 3;

    public boolean started;

    /** The first slot's start. */
    public long startedAtMs;

    public long nextSlotMs;
    public boolean inboundSpeaking;
    public boolean outboundSpeaking;
    public long inboundSegmentStartMs;
    public long outboundSegmentStartMs;
    public long inboundLastEndMs = -1;
    public long outboundLastEndMs = -1;
    public long silenceStartMs;
    public long overlapStartMs;

    /** 0 none, 1 inbound, 2 outbound (ordinal + 1), 3 both in the same slot. */
    public int overlapStartedSecond;

    /** 0 nobody yet, else the floor holder's ordinal + 1. */
    public int floor;

    public long turnStartMs;

    public long inboundTalkMs;
    public long outboundTalkMs;
    public long overlapMs;
    public long silenceMs;
    public int inboundTurns;
    public int outboundTurns;
    public long inboundLongestMonologueMs;
    public long outboundLongestMonologueMs;
    public int deadAirEpisodes;
    public long longestDeadAirMs;
    public int inboundInterruptions;
    public int outboundInterruptions;
    public int inboundBackchannels;
    public int outboundBackchannels;
    public int simultaneousStarts;

    /** Latencies of the outbound party answering the inbound one (the agent's response time). */
    public LatencyHistogram outboundResponses = new LatencyHistogram();

    /** Latencies of the inbound party answering the outbound one. */
    public LatencyHistogram inboundResponses = new LatencyHistogram();

    public ConversationTracker() {}

    /** Adds the slot that starts at {@code slotStartMs} (a multiple of 20 ms after the first). */
    public void advance(
            long slotStartMs,
            boolean inbound,
            boolean outbound,
            ConversationRules rules,
            ConversationListener listener) {
        if (!started) {
            started = true;
            startedAtMs = slotStartMs;
            nextSlotMs = slotStartMs;
            silenceStartMs = slotStartMs;
        }
        if (slotStartMs < nextSlotMs) {
            throw new IllegalArgumentException(
                    "slotStartMs: expected "
                            + nextSlotMs
                            + " or later (slots come in order), found "
                            + slotStartMs);
        }
        while (nextSlotMs < slotStartMs) {
            step(nextSlotMs, false, false, rules, listener);
        }
        step(slotStartMs, inbound, outbound, rules, listener);
    }

    /** The call ended at the end of the last slot: closes whatever episode is open. */
    public void finish(ConversationRules rules, ConversationListener listener) {
        if (!started) {
            return;
        }
        long end = nextSlotMs;
        if (inboundSpeaking && outboundSpeaking) {
            closeOverlap(end, rules, listener);
        }
        if (inboundSpeaking) {
            inboundLastEndMs = end;
        }
        if (outboundSpeaking) {
            outboundLastEndMs = end;
        }
        if (!inboundSpeaking && !outboundSpeaking) {
            closeSilence(end, rules, listener);
        }
        if (floor != NONE) {
            endTurn(party(floor), listener);
        }
        inboundSpeaking = false;
        outboundSpeaking = false;
        floor = NONE;
        silenceStartMs = end;
    }

    /**
     * Since when {@code party} has been silent, up to the last slot added: the end of its last
     * speech, or the start of the call if it never spoke; -1 while it speaks.
     */
    public long silentSinceMs(Party party) {
        if (party == Party.INBOUND ? inboundSpeaking : outboundSpeaking) {
            return -1;
        }
        long lastEnd = party == Party.INBOUND ? inboundLastEndMs : outboundLastEndMs;
        return lastEnd >= 0 ? lastEnd : startedAtMs;
    }

    /** Whether {@code party} spoke after {@code sinceMs} (or speaks now). */
    public boolean spokeAfter(Party party, long sinceMs) {
        if (party == Party.INBOUND ? inboundSpeaking : outboundSpeaking) {
            return true;
        }
        return (party == Party.INBOUND ? inboundLastEndMs : outboundLastEndMs) > sinceMs;
    }

    /** How long both parties have been silent, up to the last slot added (0 if one speaks). */
    public long currentSilenceMs() {
        return started && !inboundSpeaking && !outboundSpeaking ? nextSlotMs - silenceStartMs : 0;
    }

    private void step(
            long t,
            boolean inbound,
            boolean outbound,
            ConversationRules rules,
            ConversationListener listener) {
        boolean wasInbound = inboundSpeaking;
        boolean wasOutbound = outboundSpeaking;
        if (inbound && !wasInbound) {
            inboundSegmentStartMs = t;
        } else if (!inbound && wasInbound) {
            inboundLastEndMs = t;
        }
        if (outbound && !wasOutbound) {
            outboundSegmentStartMs = t;
        } else if (!outbound && wasOutbound) {
            outboundLastEndMs = t;
        }

        boolean both = inbound && outbound;
        boolean wasBoth = wasInbound && wasOutbound;
        if (both && !wasBoth) {
            overlapStartMs = t;
            boolean inboundNew = !wasInbound;
            boolean outboundNew = !wasOutbound;
            overlapStartedSecond =
                    inboundNew && outboundNew
                            ? SIMULTANEOUS
                            : inboundNew
                                    ? Party.INBOUND.ordinal() + 1
                                    : Party.OUTBOUND.ordinal() + 1;
        } else if (!both && wasBoth) {
            closeOverlap(t, rules, listener);
        }

        boolean silent = !inbound && !outbound;
        boolean wasSilent = !wasInbound && !wasOutbound;
        if (silent && !wasSilent) {
            silenceStartMs = t;
        } else if (!silent && wasSilent) {
            closeSilence(t, rules, listener);
        }

        if (inbound && !outbound) {
            claimFloor(Party.INBOUND, listener);
        } else if (outbound && !inbound) {
            claimFloor(Party.OUTBOUND, listener);
        }

        if (inbound) {
            inboundTalkMs += SLOT_MS;
        }
        if (outbound) {
            outboundTalkMs += SLOT_MS;
        }
        if (both) {
            overlapMs += SLOT_MS;
        }
        if (silent) {
            silenceMs += SLOT_MS;
        }
        inboundSpeaking = inbound;
        outboundSpeaking = outbound;
        nextSlotMs = t + SLOT_MS;
    }

    private void claimFloor(Party party, ConversationListener listener) {
        int claimant = party.ordinal() + 1;
        if (floor == claimant) {
            return;
        }
        long segmentStart = segmentStart(party);
        if (floor != NONE) {
            Party previous = party(floor);
            endTurn(previous, listener);
            long previousEnd = lastEnd(previous);
            if (segmentStart >= previousEnd) {
                long latency = segmentStart - previousEnd;
                (party == Party.OUTBOUND ? outboundResponses : inboundResponses).add(latency);
                listener.response(previous, party, latency, segmentStart);
            }
        }
        floor = claimant;
        turnStartMs = segmentStart;
        if (party == Party.INBOUND) {
            inboundTurns++;
        } else {
            outboundTurns++;
        }
    }

    private void endTurn(Party party, ConversationListener listener) {
        long end = lastEnd(party);
        long length = end - turnStartMs;
        if (party == Party.INBOUND) {
            inboundLongestMonologueMs = Math.max(inboundLongestMonologueMs, length);
        } else {
            outboundLongestMonologueMs = Math.max(outboundLongestMonologueMs, length);
        }
        listener.turn(party, turnStartMs, end);
    }

    private void closeOverlap(long end, ConversationRules rules, ConversationListener listener) {
        long length = end - overlapStartMs;
        if (overlapStartedSecond == SIMULTANEOUS) {
            simultaneousStarts++;
            listener.talkOver(null, overlapStartMs, end, false);
            return;
        }
        Party second = party(overlapStartedSecond);
        boolean interruption = length >= rules.interruptionMinMs();
        if (second == Party.INBOUND) {
            if (interruption) {
                inboundInterruptions++;
            } else {
                inboundBackchannels++;
            }
        } else if (interruption) {
            outboundInterruptions++;
        } else {
            outboundBackchannels++;
        }
        listener.talkOver(second, overlapStartMs, end, interruption);
    }

    private void closeSilence(long end, ConversationRules rules, ConversationListener listener) {
        long length = end - silenceStartMs;
        if (length >= rules.deadAirMinMs()) {
            deadAirEpisodes++;
            longestDeadAirMs = Math.max(longestDeadAirMs, length);
            listener.deadAir(silenceStartMs, end);
        }
    }

    private long segmentStart(Party party) {
        return party == Party.INBOUND ? inboundSegmentStartMs : outboundSegmentStartMs;
    }

    private long lastEnd(Party party) {
        return party == Party.INBOUND ? inboundLastEndMs : outboundLastEndMs;
    }

    private static Party party(int code) {
        return Party.values()[code - 1];
    }
}
