package io.callpulse.simulator;

import java.util.UUID;

/** The calls the local stack plays so that there is something to watch. */
public final class DemoCalls {

    private DemoCalls() {}

    /**
     * A 10 s two-track call: the caller (inbound) speaks first as a 440 Hz tone at -20 dBFS, the
     * agent (outbound) answers as a 660 Hz tone at -26 dBFS, with silences between.
     */
    public static PlivoCall toneConversation() {
        short[] inbound =
                SyntheticAudio.at(8000)
                        .tone(440, -20, 3000)
                        .silence(3000)
                        .tone(440, -20, 2000)
                        .silence(2000)
                        .build();
        short[] outbound =
                SyntheticAudio.at(8000).silence(3500).tone(660, -26, 2000).silence(4500).build();
        return new PlivoCall(
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                StreamFormat.MULAW_8K,
                inbound,
                outbound,
                "demo=1");
    }
}
