package io.callpulse.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Plays one {@link CallScript} on a {@code java.net.http} WebSocket: no thread of its own. The
 * run's ticker calls {@link #pump} every 20 ms; each send's completion pumps again, so one message
 * is in flight at a time (the client allows no more) and a call that falls behind catches up as
 * fast as its socket takes it. On the tap route it also answers the bot as Plivo does: {@code
 * playedStream} for a checkpoint once the audio queued before it has played, {@code clearedAudio}
 * for clearAudio.
 */
final class CallRunner implements WebSocket.Listener {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the runner needs from its run. */
    interface Context {
        RunStats stats();

        /** Posts a status callback, or does nothing when none is configured. */
        void callback(CallScript.Spec spec, String serviceUrl, String event, String error);

        /** The current tick of the run's clock. */
        long currentTick();

        void ended(CallRunner runner);
    }

    private final CallScript script;
    private final URI url;
    private final Context context;
    private final boolean realTime;
    private final ArrayDeque<String> replies = new ArrayDeque<>();
    private final ArrayDeque<Checkpoint> checkpoints = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private long startTick;
    private CallScript.Step pending;
    private boolean sending;
    private boolean pumping;
    private boolean closing;
    private boolean ended;
    private boolean cutShort;
    private boolean cutHandled;
    private boolean startSent;
    private long playoutEndsAtMs;

    private record Checkpoint(String name, long dueAtMs) {}

    CallRunner(CallScript script, URI url, Context context, boolean realTime) {
        this.script = script;
        this.url = url;
        this.context = context;
        this.realTime = realTime;
    }

    CallScript.Spec spec() {
        return script.spec();
    }

    void connect(HttpClient client, String authToken, String mainAuthToken) {
        WebSocket.Builder builder =
                client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        CallbackSender.signatureHeaders(authToken, mainAuthToken, "GET", url.toString(), Map.of())
                .forEach(builder::header);
        builder.buildAsync(url, this)
                .whenComplete(
                        (ws, error) -> {
                            if (error != null) {
                                connectFailed(error);
                            } else {
                                opened(ws);
                            }
                        });
    }

    private void connectFailed(Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        if (cause instanceof WebSocketHandshakeException handshake) {
            context.stats().refused("HTTP " + handshake.getResponse().statusCode());
            finish(RunStats.Outcome.REFUSED, false);
        } else {
            context.stats().refused(cause.getClass().getSimpleName());
            context.stats().error();
            finish(RunStats.Outcome.FAILED, false);
        }
    }

    private void opened(WebSocket ws) {
        synchronized (this) {
            if (ended) { // given up while connecting
                ws.abort();
                return;
            }
            socket = ws;
            startTick = context.currentTick();
        }
        context.stats().callOpened();
        pump();
    }

    /** Gives the call up (the run is over): nothing it does afterwards is counted. */
    boolean abandon() {
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
        }
        if (socket != null) {
            socket.abort();
        }
        return true;
    }

    /** Ends the call now, normally (stop, then close 1000), as at the end of a timed run. */
    synchronized void cutShort() {
        cutShort = true;
    }

    /** Sends whatever is due; returns at once if a send is in flight. */
    void pump() {
        synchronized (this) {
            if (pumping) {
                return; // a send completed inline: the loop below goes on
            }
            pumping = true;
            try {
                while (socket != null && !sending && !closing && !ended && step()) {
                    // each step sends at most one message
                }
            } finally {
                pumping = false;
            }
        }
    }

    /** Does one thing that is due; false when nothing is. Holds the monitor. */
    private boolean step() {
        long nowMs = System.currentTimeMillis();
        while (!checkpoints.isEmpty() && checkpoints.peek().dueAtMs() <= nowMs) {
            replies.add(
                    PlivoMessages.playedStream(
                            spec().streamId(), script.takeSequence(), checkpoints.poll().name()));
        }
        if (!replies.isEmpty()) {
            send(CallScript.Kind.REPLY, replies.poll());
            return true;
        }
        if (cutShort && !cutHandled) {
            cutHandled = true;
            pending = startSent ? script.stopNow() : new CallScript.Close(0, 1000);
        }
        if (pending == null) {
            pending = script.next();
            if (pending == null) {
                return false;
            }
        }
        long now = realTime && !cutShort ? context.currentTick() - startTick : Long.MAX_VALUE;
        if (pending.dueTick() > now) {
            return false;
        }
        CallScript.Step step = pending;
        pending = null;
        if (step instanceof CallScript.Send send) {
            if (send.kind() == CallScript.Kind.START) {
                startSent = true;
            }
            send(send.kind(), send.text());
            if (send.kind() == CallScript.Kind.START) {
                context.callback(spec(), url.toString(), "StartStream", null);
            }
            if (send.kind() == CallScript.Kind.STOP && cutShort) {
                pending = new CallScript.Close(0, 1000);
            }
        } else if (step instanceof CallScript.Close close) {
            closing = true;
            socket.sendClose(close.code(), "")
                    .whenComplete(
                            (ws, error) -> {
                                if (error != null) {
                                    connectionLost(error);
                                }
                            });
        } else if (step instanceof CallScript.Abort) {
            ended = true;
            socket.abort();
            context.callback(spec(), url.toString(), "DroppedStream", CallbackSender.DROPPED_ERROR);
            finish(RunStats.Outcome.DROPPED, true);
        }
        return true;
    }

    private void send(CallScript.Kind kind, String text) {
        sending = true;
        context.stats().sent(kind, text.length());
        socket.sendText(text, true)
                .whenComplete(
                        (ws, error) -> {
                            if (error != null) {
                                connectionLost(error);
                                return;
                            }
                            synchronized (this) {
                                sending = false;
                            }
                            pump();
                        });
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        webSocket.request(1);
        synchronized (this) {
            partial.append(data);
            if (!last) {
                return null;
            }
        }
        String text;
        synchronized (this) {
            text = partial.toString();
            partial.setLength(0);
        }
        context.stats().receivedMessage();
        answerBot(text);
        return null;
    }

    /** Plivo's side of playAudio, checkpoint and clearAudio. */
    private void answerBot(String text) {
        JsonNode message;
        try {
            message = MAPPER.readTree(text);
        } catch (Exception e) {
            context.stats().error();
            return;
        }
        long nowMs = System.currentTimeMillis();
        synchronized (this) {
            switch (message.path("event").asText()) {
                case "playAudio" -> {
                    JsonNode media = message.path("media");
                    long ms = playedMs(media);
                    playoutEndsAtMs = Math.max(playoutEndsAtMs, nowMs) + ms;
                }
                case "checkpoint" ->
                        checkpoints.add(
                                new Checkpoint(
                                        message.path("name").asText(),
                                        Math.max(playoutEndsAtMs, nowMs)));
                case "clearAudio" -> {
                    checkpoints.clear(); // pending checkpoints are never acknowledged
                    playoutEndsAtMs = nowMs;
                    replies.add(
                            PlivoMessages.clearedAudio(spec().streamId(), script.takeSequence()));
                }
                default -> {}
            }
        }
        pump();
    }

    /** How long a playAudio's payload plays. */
    static long playedMs(JsonNode media) {
        String payload = media.path("payload").asText("");
        int padding = payload.endsWith("==") ? 2 : payload.endsWith("=") ? 1 : 0;
        long bytes = payload.length() / 4L * 3 - padding;
        int rate = media.path("sampleRate").asInt(8000);
        int bytesPerSample = media.path("contentType").asText("").contains("l16") ? 2 : 1;
        return rate <= 0 ? 0 : bytes * 1000 / ((long) rate * bytesPerSample);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        context.stats().closeCode(statusCode);
        boolean weClosed;
        synchronized (this) {
            if (ended) {
                return null;
            }
            ended = true;
            weClosed = closing;
        }
        context.callback(spec(), url.toString(), "StopStream", null);
        finish(
                weClosed && statusCode == 1000
                        ? RunStats.Outcome.COMPLETED
                        : RunStats.Outcome.SERVER_CLOSED,
                true);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        connectionLost(error);
    }

    private void connectionLost(Throwable error) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        context.stats().closeCode(1006);
        context.stats().error();
        context.callback(spec(), url.toString(), "DroppedStream", CallbackSender.DROPPED_ERROR);
        finish(RunStats.Outcome.FAILED, true);
        if (socket != null) {
            socket.abort();
        }
    }

    private void finish(RunStats.Outcome outcome, boolean wasOpen) {
        context.stats().callEnded(spec().scenario(), outcome, wasOpen);
        context.ended(this);
    }
}
