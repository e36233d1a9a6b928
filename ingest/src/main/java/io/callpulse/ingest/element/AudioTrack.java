package io.callpulse.ingest.element;

/** The {@code audioTrack} attribute: which side of the call Plivo forks to the WebSocket. */
public enum AudioTrack {
    INBOUND("inbound"),
    OUTBOUND("outbound"),
    BOTH("both");

    private final String wireName;

    AudioTrack(String wireName) {
        this.wireName = wireName;
    }

    /** The value as the attribute carries it. */
    public String wireName() {
        return wireName;
    }
}
