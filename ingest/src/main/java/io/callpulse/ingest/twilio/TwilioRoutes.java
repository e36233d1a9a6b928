package io.callpulse.ingest.twilio;

import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.security.TwilioRequestVerifier;
import io.callpulse.ingest.websocket.StreamRoute;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.java_websocket.handshake.ClientHandshake;

/** The WebSocket route that Twilio's {@code <Stream>} connects to. */
public final class TwilioRoutes {

    /**
     * Twilio dials only {@code wss://} and signs the URL it dialled; some report the {@code
     * https://} form. A TLS terminator in front means the ingest itself sees neither.
     */
    private static final List<String> UPGRADE_SCHEMES = List.of("wss", "https");

    private TwilioRoutes() {}

    /** Twilio's Media Streams protocol on {@code path}, upgrades signed by Twilio. */
    public static StreamRoute stream(
            String path, TwilioRequestVerifier verifier, RecordSink sink, LongSupplier clock) {
        return new StreamRoute(
                path,
                "twilio",
                signedUpgrade(verifier),
                connection -> new TwilioStreamHandler(sink, clock));
    }

    /** Whether an upgrade request carries Twilio's signature (always, without a token). */
    public static Predicate<ClientHandshake> signedUpgrade(TwilioRequestVerifier verifier) {
        return request ->
                verifier.verify(
                        request.getResourceDescriptor(),
                        name -> request.hasFieldValue(name) ? request.getFieldValue(name) : null,
                        Map.of(),
                        UPGRADE_SCHEMES);
    }
}
