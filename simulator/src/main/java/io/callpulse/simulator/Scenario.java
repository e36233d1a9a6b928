package io.callpulse.simulator;

import java.util.Locale;

/** What can happen to a stream in a load run; see docs/simulator.md for each one's sequence. */
public enum Scenario {
    /** start, media on every track, a DTMF digit halfway, stop, a normal close (1000). */
    NORMAL,
    /** As normal until 60 % of the media, then the TCP connection is cut: no close frame. */
    DROPPED,
    /** As normal until 60 % of the media, then nothing while the socket stays open to the end. */
    SILENT_DROP,
    /** start, then nothing until the end, then a normal close. */
    NO_MEDIA,
    /** Both tracks declared; the outbound one carries digital silence. */
    ONE_WAY,
    /** In each second of chunks: the 11th and 12th swapped, the 26th sent twice, the 41st lost. */
    REORDERED,
    /** A normal call with bad JSON, bad base64, a wrong-sized payload and an unknown event. */
    MALFORMED,
    /** An inbound-only bidirectional stream on the tap route, which relays it to the bot. */
    BOT;

    /** The name used on the command line: lower case, dashes. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Scenario fromCliName(String name) {
        for (Scenario s : values()) {
            if (s.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario: " + name);
    }

    /** Whether the simulator ends the stream itself by cutting the connection. */
    public boolean endsByDrop() {
        return this == DROPPED;
    }
}
