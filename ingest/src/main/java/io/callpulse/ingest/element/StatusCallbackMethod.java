package io.callpulse.ingest.element;

/** The {@code statusCallbackMethod} attribute: how Plivo calls the status callback URL. */
public enum StatusCallbackMethod {
    GET("GET"),
    POST("POST");

    private final String wireName;

    StatusCallbackMethod(String wireName) {
        this.wireName = wireName;
    }

    /** The value as the attribute carries it. */
    public String wireName() {
        return wireName;
    }
}
