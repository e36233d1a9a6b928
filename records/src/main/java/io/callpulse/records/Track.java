package io.callpulse.records;

import java.util.Locale;

/** The two directions of a call's audio, named as Plivo names them. */
public enum Track {
    /** The caller (the far end of the call leg), in Plivo's terms the inbound track. */
    INBOUND("inbound", (byte) 1),
    /** What the caller hears: the agent or bot, in Plivo's terms the outbound track. */
    OUTBOUND("outbound", (byte) 2);

    private final String wireName;
    private final byte wireCode;

    Track(String wireName, byte wireCode) {
        this.wireName = wireName;
        this.wireCode = wireCode;
    }

    /** The name used in Plivo messages and in our JSON. */
    public String wireName() {
        return wireName;
    }

    /** The code used in the binary audio record; fixed forever, unlike the ordinal. */
    public byte wireCode() {
        return wireCode;
    }

    /**
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Track fromWireName(String value) {
        if (value != null) {
            String lower = value.trim().toLowerCase(Locale.ROOT);
            for (Track track : values()) {
                if (track.wireName.equals(lower)) {
                    return track;
                }
            }
        }
        throw new IllegalArgumentException(
                "track '" + value + "' is not known; expected inbound or outbound");
    }

    /**
     * @throws IllegalArgumentException for an unknown code
     */
    public static Track fromWireCode(byte code) {
        for (Track track : values()) {
            if (track.wireCode == code) {
                return track;
            }
        }
        throw new IllegalArgumentException("track code " + code + " is not known; expected 1 or 2");
    }
}
