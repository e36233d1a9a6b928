package io.callpulse.ingest;

/**
 * One WebSocket connection's provider protocol (Plivo, Twilio, the bidirectional tap): turns the
 * connection's text messages into records on a {@link RecordSink}. Implementations never throw on
 * bad input; they dead-letter it and go on.
 *
 * <p>Java-WebSocket calls a connection's messages from one worker thread at a time, but the close
 * may come from another thread: implementations synchronise what both touch.
 */
public interface StreamProtocol {

    /**
     * Handles one text message.
     *
     * @return its type for the metrics, from a bounded set: one of the protocol's known event
     *     names, {@link io.callpulse.ingest.metrics.MetricLabels#OTHER} or {@link
     *     io.callpulse.ingest.metrics.MetricLabels#INVALID}
     */
    String onText(String message);

    /** The socket closed: the end of the stream, whatever was or was not said before. */
    void onClose(int code, String reason);

    /** The stream's id once the protocol has learnt it, else {@code null} (for dead letters). */
    String streamId();
}
