package io.callpulse.ingest.websocket;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketListener;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/**
 * Makes Java-WebSocket report a clean close as clean.
 *
 * <p>When the peer closes, a worker thread answers its close frame inside {@code close()}: it sends
 * the answer, then marks the connection as closing. The peer may read the answer and drop the TCP
 * connection before that mark is set; the selector thread then sees the end of the stream ({@code
 * eot()}) on a connection that looks mid-call and reports 1006 (abnormal) instead of the peer's
 * 1000, which would raise a false STREAM_DROPPED. {@code close()} is synchronised on the connection
 * and {@code eot()} is not: synchronising {@code eot()} too makes it wait for the answer to finish.
 * Channels (plain or TLS) come from the wrapped factory.
 */
public final class OrderlyCloseWebSocketFactory implements WebSocketServerFactory {

    private final WebSocketServerFactory channels;

    public OrderlyCloseWebSocketFactory(WebSocketServerFactory channels) {
        this.channels = channels;
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
        return new OrderlyCloseWebSocket(adapter, List.of(draft));
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
        return new OrderlyCloseWebSocket(adapter, drafts);
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        return channels.wrapChannel(channel, key);
    }

    @Override
    public void close() {
        channels.close();
    }

    /** A connection whose end-of-stream handling waits for a close in progress. */
    static final class OrderlyCloseWebSocket extends WebSocketImpl {

        OrderlyCloseWebSocket(WebSocketListener listener, List<Draft> drafts) {
            super(listener, drafts);
        }

        @Override
        public synchronized void eot() {
            super.eot();
        }
    }
}
