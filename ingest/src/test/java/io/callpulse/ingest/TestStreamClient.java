package io.callpulse.ingest;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A WebSocket client for tests that plays the provider's side: it keeps what the server sends and
 * how the server closed.
 */
public final class TestStreamClient extends WebSocketClient {

    public final List<String> received = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Boolean> opened = new CompletableFuture<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    public TestStreamClient(URI uri, Map<String, String> headers) {
        super(uri, headers);
    }

    /** Connects and waits; returns whether the server accepted the upgrade. */
    public static TestStreamClient connect(URI uri, Map<String, String> headers, SSLContext tls)
            throws Exception {
        TestStreamClient client = new TestStreamClient(uri, headers);
        if (tls != null) {
            client.setSocketFactory(tls.getSocketFactory());
        }
        client.connect();
        client.opened.get(10, TimeUnit.SECONDS);
        return client;
    }

    public static TestStreamClient connect(URI uri) throws Exception {
        return connect(uri, Map.of(), null);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        opened.complete(true);
    }

    @Override
    public void onMessage(String message) {
        received.add(message);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {}

    @Override
    public void onClose(int code, String reason, boolean remote) {
        opened.complete(false);
        closeCode.complete(code);
    }

    @Override
    public void onError(Exception ex) {
        opened.complete(false);
    }

    /** The server's close code, waiting up to ten seconds. */
    public int awaitClose() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }
}
