package io.callpulse.ingest.plivo;

import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.ingest.websocket.StreamRoute;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.java_websocket.handshake.ClientHandshake;

/** The WebSocket routes that Plivo's {@code <Stream>} connects to. */
public final class PlivoRoutes {

    /** The forms in which Plivo may have signed an upgrade's URL (its documents disagree). */
    private static final List<String> UPGRADE_SCHEMES = List.of("wss", "https", "http", "ws");

    private PlivoRoutes() {}

    /** The plain stream: Plivo's protocol on {@code path}, upgrades signed by Plivo. */
    public static StreamRoute stream(
            String path, PlivoRequestVerifier verifier, RecordSink sink, LongSupplier clock) {
        return new StreamRoute(
                path,
                "plivo",
                signedUpgrade(verifier),
                connection -> new PlivoStreamHandler(sink, clock));
    }

    /** Whether an upgrade request carries Plivo's signature (always, without a token). */
    public static Predicate<ClientHandshake> signedUpgrade(PlivoRequestVerifier verifier) {
        return request ->
                verifier.verify(
                        "GET",
                        request.getResourceDescriptor(),
                        name -> request.hasFieldValue(name) ? request.getFieldValue(name) : null,
                        Map.of(),
                        UPGRADE_SCHEMES);
    }
}
