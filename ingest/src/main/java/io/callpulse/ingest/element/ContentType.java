package io.callpulse.ingest.element;

/** The {@code contentType} attribute: the codec and sample rate of the streamed audio. */
public enum ContentType {
    L16_8000("audio/x-l16;rate=8000"),
    L16_16000("audio/x-l16;rate=16000"),
    MULAW_8000("audio/x-mulaw;rate=8000");

    private final String wireName;

    ContentType(String wireName) {
        this.wireName = wireName;
    }

    /** The value as the attribute carries it. */
    public String wireName() {
        return wireName;
    }
}
