package io.callpulse.simulator;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Plays Plivo's side of one audio stream against a WebSocket endpoint: {@code start}, then one
 * {@code media} message per track every 20 ms of audio, then a normal close.
 */
public final class PlivoStreamPlayer {

    /** How media messages are spaced. */
    public enum Pacing {
        /** One 20 ms message per track every 20 ms of wall time, as Plivo does. */
        REAL_TIME,
        /** All messages at once, for tests and benchmarks. */
        AS_FAST_AS_POSSIBLE
    }

    /**
     * What the player did.
     *
     * @param messagesSent text messages sent, start included
     * @param closeCode the close code of the connection
     */
    public record Result(long messagesSent, int closeCode) {}

    private static final long MESSAGE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private PlivoStreamPlayer() {}

    /**
     * Plays the call and returns once the connection is closed.
     *
     * @param startEpochMs the media timestamp of the first sample
     * @throws InterruptedException if interrupted; the connection is closed with 1001 first
     */
    public static Result play(URI endpoint, PlivoCall call, long startEpochMs, Pacing pacing)
            throws InterruptedException {
        return play(endpoint, call, startEpochMs, pacing, () -> {});
    }

    /**
     * Plays the call as {@link #play(URI, PlivoCall, long, Pacing)} does, and runs {@code halfway}
     * once half of the media messages have been sent (to act during a call, as a status callback
     * does).
     */
    public static Result play(
            URI endpoint, PlivoCall call, long startEpochMs, Pacing pacing, Runnable halfway)
            throws InterruptedException {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocketClient client =
                new WebSocketClient(endpoint) {
                    @Override
                    public void onOpen(ServerHandshake handshake) {}

                    @Override
                    public void onMessage(String message) {}

                    @Override
                    public void onMessage(ByteBuffer bytes) {}

                    @Override
                    public void onClose(int code, String reason, boolean remote) {
                        closed.complete(code);
                    }

                    @Override
                    public void onError(Exception ex) {
                        closed.completeExceptionally(ex);
                    }
                };
        client.setTcpNoDelay(true);
        if (!client.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not connect to " + endpoint);
        }
        long sequence = 1;
        try {
            client.send(PlivoMessages.start(call, sequence++));
            int perMessage = call.samplesPerMessage();
            long startNanos = System.nanoTime();
            for (int i = 0; i < call.messageCount(); i++) {
                if (i == call.messageCount() / 2) {
                    halfway.run();
                }
                if (pacing == Pacing.REAL_TIME) {
                    waitUntil(startNanos + i * MESSAGE_INTERVAL_NANOS);
                }
                long timestamp = startEpochMs + i * 20L;
                if (call.inbound() != null && i * perMessage < call.inbound().length) {
                    client.send(
                            mediaMessage(
                                    call, sequence++, "inbound", call.inbound(), i, timestamp));
                }
                if (call.outbound() != null && i * perMessage < call.outbound().length) {
                    client.send(
                            mediaMessage(
                                    call, sequence++, "outbound", call.outbound(), i, timestamp));
                }
            }
            client.closeBlocking();
        } catch (InterruptedException e) {
            client.close(CloseFrame.GOING_AWAY, "player stopped");
            throw e;
        }
        return new Result(sequence - 1, closed.getNow(CloseFrame.ABNORMAL_CLOSE));
    }

    private static String mediaMessage(
            PlivoCall call, long sequence, String track, short[] audio, int index, long timestamp) {
        int perMessage = call.samplesPerMessage();
        int offset = index * perMessage;
        int count = Math.min(perMessage, audio.length - offset);
        byte[] payload = call.format().encode(audio, offset, count);
        return PlivoMessages.media(call, sequence, track, timestamp, index + 1L, payload);
    }

    private static void waitUntil(long deadlineNanos) throws InterruptedException {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
