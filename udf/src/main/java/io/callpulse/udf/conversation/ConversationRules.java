package io.callpulse.udf.conversation;

import java.io.Serializable;

/**
 * The thresholds of the conversation figures.
 *
 * @param deadAirMinMs both parties silent at least this long is a dead-air episode (3 s)
 * @param interruptionMinMs an overlap at least this long, begun by one party while the other was
 *     speaking, is an interruption (500 ms); shorter overlaps are backchannel
 */
public record ConversationRules(long deadAirMinMs, long interruptionMinMs) implements Serializable {

    public static final ConversationRules DEFAULTS = new ConversationRules(3_000, 500);

    public ConversationRules {
        if (deadAirMinMs <= 0 || interruptionMinMs <= 0) {
            throw new IllegalArgumentException(
                    "deadAirMinMs and interruptionMinMs: expected positive durations, found "
                            + deadAirMinMs
                            + " and "
                            + interruptionMinMs);
        }
    }
}
