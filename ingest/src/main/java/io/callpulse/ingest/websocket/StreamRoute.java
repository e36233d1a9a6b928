package io.callpulse.ingest.websocket;

import io.callpulse.ingest.StreamProtocol;
import java.util.function.Function;
import java.util.function.Predicate;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;

/**
 * Which protocol serves the WebSocket upgrades on one path.
 *
 * @param path the request path (query excluded) this route serves, such as {@code /twilio}
 * @param name a short name for logs and metrics labels, such as {@code plivo}
 * @param authorised whether an upgrade request may open (its signature checks out)
 * @param protocol creates the protocol for an accepted connection; the connection is given so that
 *     a protocol can also write to it (the bidirectional tap does)
 */
public record StreamRoute(
        String path,
        String name,
        Predicate<ClientHandshake> authorised,
        Function<WebSocket, StreamProtocol> protocol) {}
