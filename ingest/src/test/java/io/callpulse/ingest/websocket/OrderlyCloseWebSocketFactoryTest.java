package io.callpulse.ingest.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.plivo.PlivoRoutes;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import java.net.InetSocketAddress;
import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.junit.jupiter.api.Test;

class OrderlyCloseWebSocketFactoryTest {

    /** The end of the TCP stream waits while the connection is answering a close. */
    @Test
    void endOfStreamWaitsForACloseInProgress() throws Exception {
        CollectingSink sink = new CollectingSink();
        StreamWebSocketServer server =
                new StreamWebSocketServer(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(),
                        PlivoRoutes.stream(
                                "/stream", new PlivoRequestVerifier(null, null), sink, () -> 1L),
                        sink,
                        () -> 1L,
                        new IngestMetrics());
        WebSocketImpl connection =
                new OrderlyCloseWebSocketFactory(new DefaultWebSocketServerFactory())
                        .createWebSocket(server, List.of(new Draft_6455()));
        Thread endOfStream = new Thread(connection::eot, "selector");

        synchronized (connection) {
            // as a worker thread inside close() would
            endOfStream.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (endOfStream.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(endOfStream.getState()).isEqualTo(Thread.State.BLOCKED);
        }
        endOfStream.join(5_000);
        assertThat(endOfStream.isAlive()).isFalse();
    }
}
