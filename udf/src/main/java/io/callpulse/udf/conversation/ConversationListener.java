package io.callpulse.udf.conversation;

/** Told of each episode as it ends. Every time is the epoch ms of a slot boundary. */
public interface ConversationListener {

    ConversationListener NONE = new ConversationListener() {};

    /** Both parties were silent from {@code startMs} to {@code endMs}, at least the minimum. */
    default void deadAir(long startMs, long endMs) {}

    /**
     * Both parties spoke from {@code startMs} to {@code endMs}.
     *
     * @param startedSecond who started while the other was speaking, or {@code null} when both
     *     started in the same slot
     * @param interruption whether it lasted the interruption minimum and had a second starter
     */
    default void talkOver(Party startedSecond, long startMs, long endMs, boolean interruption) {}

    /**
     * {@code party} held the floor from {@code startMs} to the end of its speech, {@code endMs}.
     */
    default void turn(Party party, long startMs, long endMs) {}

    /**
     * {@code to} began speaking {@code latencyMs} after {@code from} stopped, and took the floor.
     */
    default void response(Party from, Party to, long latencyMs, long atMs) {}
}
