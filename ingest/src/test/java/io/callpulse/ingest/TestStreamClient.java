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
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A WebSocket client for tests that plays the provider's side: it keeps what the server sends, the
 * HTTP status of the server's answer to the upgrade, and how the server closed.
 */
public final class TestStreamClient extends WebSocketClient {

    public final List<String> received = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Boolean> opened = new CompletableFuture<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    /** The HTTP status the server answered the upgrade with: 101 when it opened. */
    public final CompletableFuture<Integer> upgradeStatus;

    public TestStreamClient(URI uri, Map<String, String> headers) {
        this(uri, headers, new CompletableFuture<>());
    }

    private TestStreamClient(
            URI uri, Map<String, String> headers, CompletableFuture<Integer> upgradeStatus) {
        super(uri, new StatusRecordingDraft(upgradeStatus), headers);
        this.upgradeStatus = upgradeStatus;
    }

    /**
     * Connects and waits until the upgrade is answered; {@link #opened} then says whether the
     * server accepted it.
     */
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

    /** Whether the server accepts an upgrade with these headers; the client is closed after. */
    public static boolean opens(URI uri, Map<String, String> headers) throws Exception {
        TestStreamClient client = connect(uri, headers, null);
        try {
            return client.opened.get();
        } finally {
            client.closeBlocking();
        }
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

    /**
     * Java-WebSocket's client refuses any status but 101 without saying which it was: read it from
     * the response's status line before the draft parses it.
     */
    private static final class StatusRecordingDraft extends Draft_6455 {
        private final CompletableFuture<Integer> status;

        StatusRecordingDraft(CompletableFuture<Integer> status) {
            this.status = status;
        }

        @Override
        public Handshakedata translateHandshake(ByteBuffer response)
                throws InvalidHandshakeException {
            String statusLine = readStringLine(response.duplicate());
            if (statusLine != null) {
                String[] parts = statusLine.split(" ", 3);
                if (parts.length > 1 && parts[1].matches("\\d{3}")) {
                    status.complete(Integer.parseInt(parts[1]));
                }
            }
            return super.translateHandshake(response);
        }

        @Override
        public Draft copyInstance() {
            // the client copies its draft per connection: the copy must report to the same future
            return new StatusRecordingDraft(status);
        }
    }
}
