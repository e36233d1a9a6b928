package io.callpulse.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scripted two-party conversations for load runs: turns of 1.2-4 s that alternate between caller
 * (inbound) and agent (outbound), separated by pauses of 0.2-1 s; one turn in five starts 0.3-0.9 s
 * before the other party has finished (talk-over); calls of 20 s or more have one stretch of 6-9 s
 * of dead air after their first third. The same seed gives the same call.
 */
public final class Conversations {

    /** What the parties sound like. */
    public enum Voice {
        /** {@link SyntheticAudio#speech}: caller at 210 Hz and -22 dBFS, agent 120 Hz, -24. */
        SPEECH,
        /** Pure tones: caller 440 Hz at -20 dBFS, agent 660 Hz at -26. */
        TONES
    }

    /**
     * One scripted call.
     *
     * @param caller the inbound track
     * @param agent the outbound track
     * @param turns who spoke when
     */
    public record Conversation(short[] caller, short[] agent, List<Turn> turns) {}

    /** One party speaking from {@code startMs} to {@code endMs}. */
    public record Turn(boolean caller, long startMs, long endMs) {}

    private Conversations() {}

    public static Conversation generate(int sampleRate, long durationMs, Voice voice, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Turn> turns = new ArrayList<>();
        long deadAirAt = durationMs >= 20_000 ? durationMs / 3 : Long.MAX_VALUE;
        long t = 0;
        boolean caller = true;
        long callerFreeAt = 0;
        long agentFreeAt = 0;
        while (true) {
            // a party never overlaps itself
            long start = Math.max(t, caller ? callerFreeAt : agentFreeAt);
            if (start >= durationMs - 300) {
                break;
            }
            long end = Math.min(durationMs, start + random.nextLong(1200, 4001));
            turns.add(new Turn(caller, start, end));
            if (caller) {
                callerFreeAt = end;
            } else {
                agentFreeAt = end;
            }
            caller = !caller;
            if (end >= deadAirAt) {
                t = end + random.nextLong(6000, 9001);
                deadAirAt = Long.MAX_VALUE;
            } else if (random.nextInt(5) == 0) {
                t = Math.max(start + 200, end - random.nextLong(300, 901));
            } else {
                t = end + random.nextLong(200, 1001);
            }
        }
        short[] inbound = render(sampleRate, durationMs, turns, true, voice);
        short[] outbound = render(sampleRate, durationMs, turns, false, voice);
        return new Conversation(inbound, outbound, List.copyOf(turns));
    }

    private static short[] render(
            int sampleRate, long durationMs, List<Turn> turns, boolean caller, Voice voice) {
        SyntheticAudio audio = SyntheticAudio.at(sampleRate);
        long at = 0;
        for (Turn turn : turns) {
            if (turn.caller() != caller) {
                continue;
            }
            audio.silence(turn.startMs() - at);
            long length = turn.endMs() - turn.startMs();
            if (voice == Voice.SPEECH) {
                audio.speech(caller ? 210 : 120, caller ? -22 : -24, length);
            } else {
                audio.tone(caller ? 440 : 660, caller ? -20 : -26, length);
            }
            at = turn.endMs();
        }
        audio.silence(durationMs - at);
        return audio.build();
    }
}
