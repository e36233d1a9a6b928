package io.callpulse.udf.conversation;

/**
 * The two parties of a call, by the track that carries their voice: inbound is the caller (what
 * Plivo hears from the phone), outbound the agent or bot.
 */
public enum Party {
    INBOUND,
    OUTBOUND;

    public Party other() {
        return this == INBOUND ? OUTBOUND : INBOUND;
    }
}
