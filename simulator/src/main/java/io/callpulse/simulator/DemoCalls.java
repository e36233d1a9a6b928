package io.callpulse.simulator;

import java.util.UUID;

/** The calls the local stack plays so that there is something to watch. */
public final class DemoCalls {

    private DemoCalls() {}

    /**
     * A 20 s two-track call with something to see, in speech-like voices ({@link
     * SyntheticAudio#speech}): the caller (inbound, 210 Hz at -22 dBFS) talks 0-3 s; the agent
     * (outbound, 120 Hz at -26 dBFS) cuts in at 2.2 s and talks to 5 s (an interruption); nobody
     * speaks for 11 s (dead air, and a DEAD_AIR alert); the caller speaks 16-18 s and the agent
     * answers 18.5-20 s.
     */
    public static PlivoCall scriptedConversation() {
        short[] inbound =
                SyntheticAudio.at(8000)
                        .speech(210, -22, 3000)
                        .silence(13_000)
                        .speech(210, -22, 2000)
                        .silence(2000)
                        .build();
        short[] outbound =
                SyntheticAudio.at(8000)
                        .silence(2200)
                        .speech(120, -26, 2800)
                        .silence(13_500)
                        .speech(120, -26, 1500)
                        .build();
        return new PlivoCall(
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                StreamFormat.MULAW_8K,
                inbound,
                outbound,
                "demo=1");
    }
}
