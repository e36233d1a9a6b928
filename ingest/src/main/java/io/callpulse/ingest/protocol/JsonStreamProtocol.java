package io.callpulse.ingest.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.ingest.StreamProtocol;
import io.callpulse.ingest.metrics.MetricLabels;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A provider's JSON stream protocol for one connection (Plivo's, Twilio's): each text message is
 * parsed and handed to {@link #dispatch}, whose refusals are dead-lettered by the {@link
 * StreamSession}.
 *
 * <p>Calls for one connection come from one thread at a time (Java-WebSocket gives each connection
 * to one worker), but the close may come from another, hence the synchronisation; it is
 * uncontended.
 */
public abstract class JsonStreamProtocol implements StreamProtocol {

    private final LongSupplier clock;
    private final Set<String> knownEvents;

    /** The stream's state; touched only under this object's lock. */
    protected final StreamSession session;

    /**
     * @param knownEvents the dialect's event names, the only ones counted by name in the metrics
     */
    protected JsonStreamProtocol(
            LongSupplier clock, StreamSession session, Set<String> knownEvents) {
        this.clock = clock;
        this.session = session;
        this.knownEvents = knownEvents;
    }

    /** The stream's id once {@code start} has been seen, else {@code null}. */
    @Override
    public final synchronized String streamId() {
        return session.streamId();
    }

    /** Handles one text message. Bad input is dead-lettered; it never throws. */
    @Override
    public final synchronized String onText(String raw) {
        long receivedAtMs = clock.getAsLong();
        JsonNode message =
                session.handle(raw, receivedAtMs, parsed -> dispatch(raw, parsed, receivedAtMs));
        return MetricLabels.messageType(message, knownEvents);
    }

    @Override
    public final synchronized void onClose(int code, String reason) {
        session.close(code, reason, clock.getAsLong());
    }

    /**
     * Handles one message parsed as a JSON object; throws {@link IllegalArgumentException} naming
     * the field to dead-letter it.
     */
    protected abstract void dispatch(String raw, JsonNode message, long receivedAtMs);
}
