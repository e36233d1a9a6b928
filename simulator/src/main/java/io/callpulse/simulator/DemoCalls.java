package io.callpulse.simulator;

import java.util.UUID;

/** The calls the local stack plays so that there is something to watch. */
public final class DemoCalls {

    private DemoCalls() {}

    /**
     * A 20 s two-track call with something to see: the caller (inbound, a 440 Hz tone at -20 dBFS)
     * talks 0-3 s; the agent (outbound, 660 Hz at -26 dBFS) cuts in at 2.2 s and talks to 5 s (an
     * interruption); nobody speaks for 11 s (dead air, and a DEAD_AIR alert); the caller speaks
     * 16-18 s and the agent answers 18.5-20 s.
     */
    public static PlivoCall toneConversation() {
        short[] inbound =
                SyntheticAudio.at(8000)
                        .tone(440, -20, 3000)
                        .silence(13_000)
                        .tone(440, -20, 2000)
                        .silence(2000)
                        .build();
        short[] outbound =
                SyntheticAudio.at(8000)
                        .silence(2200)
                        .tone(660, -26, 2800)
                        .silence(13_500)
                        .tone(660, -26, 1500)
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
