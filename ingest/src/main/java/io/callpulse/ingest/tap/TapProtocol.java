package io.callpulse.ingest.tap;

import io.callpulse.ingest.DeadLetters;
import io.callpulse.ingest.RecordSink;
import io.callpulse.ingest.StreamProtocol;
import io.callpulse.ingest.plivo.PlivoStreamHandler;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bidirectional tap for one Plivo connection: the ingest sits between Plivo and the operator's
 * bot, relays every text message both ways unchanged, and records both sides. Plivo's messages go
 * to a {@link PlivoStreamHandler}, exactly as on the plain route; the bot's go to a {@link
 * BotMessageTap}, which turns its {@code playAudio} into the outbound track.
 *
 * <p>Relaying comes first and happens on the receiving thread: Java-WebSocket's {@code send} only
 * queues the frame for the socket's writer, so the relay adds microseconds, not a hop through
 * another queue. Until the bot's socket opens, Plivo's messages wait in a small bounded queue.
 *
 * <p>If the bot cannot be reached or goes away, Plivo's socket is closed with 1011 (Plivo then
 * retries, and the call does not sit on a dead bot) and a {@code tapBotUnavailable} event is
 * recorded. When Plivo's socket closes, the bot's is closed. Every wait is bounded.
 */
public final class TapProtocol implements StreamProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(TapProtocol.class);

    /** How long the bot has to accept the TCP connection and answer the WebSocket upgrade. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** The close reason Plivo sees, with code 1011, when the bot is unavailable. */
    public static final String BOT_UNAVAILABLE_REASON = "callpulse tap: the bot is unavailable";

    /** How often played audio is released when no message drives it: one media frame. */
    static final long RELEASE_PERIOD_MS = 20;

    /** Plivo's messages held until the bot's socket opens: 5 s of 20 ms inbound media. */
    static final int MAX_HELD_FOR_BOT = 250;

    /**
     * How long a failed tap waits for Plivo's {@code start} before closing, so that the failure is
     * recorded against the stream; Plivo sends {@code start} as soon as its socket opens.
     */
    static final Duration WAIT_FOR_START_AFTER_FAILURE = Duration.ofSeconds(1);

    /** How long the bot has to finish the closing handshake before its socket is cut. */
    static final Duration BOT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** Frames from the bot above this are refused (1009); Plivo's own limit is 64 KB. */
    private static final int BOT_MAX_FRAME_BYTES = 1024 * 1024;

    private enum BotState {
        CONNECTING,
        OPEN,
        /** unreachable or gone: Plivo's socket is being closed */
        FAILED,
        /** Plivo's socket closed: the tap is over */
        PLIVO_CLOSED
    }

    private final WebSocket plivo;
    private final String botUrlForRecords;
    private final RecordSink sink;
    private final LongSupplier clock;
    private final ScheduledExecutorService scheduler;
    private final Duration connectTimeout;
    private final PlivoStreamHandler handler;
    private final BotMessageTap tap;
    private final BotConnection bot;

    // guarded by this
    private final ArrayDeque<String> heldForBot = new ArrayDeque<>();
    private BotState state = BotState.CONNECTING;
    private ScheduledFuture<?> releasing;
    private ScheduledFuture<?> connectDeadline;

    private volatile boolean closePlivoOnStart;
    private volatile String lastBotError;

    private TapProtocol(
            WebSocket plivo,
            URI botUri,
            RecordSink sink,
            LongSupplier clock,
            ScheduledExecutorService scheduler,
            Duration connectTimeout) {
        this.plivo = plivo;
        this.botUrlForRecords = TapRoutes.redacted(botUri);
        this.sink = sink;
        this.clock = clock;
        this.scheduler = scheduler;
        this.connectTimeout = connectTimeout;
        this.handler = new PlivoStreamHandler(sink, clock);
        this.tap = new BotMessageTap(sink, clock, handler::streamId);
        this.bot =
                new BotConnection(
                        TapRoutes.withQueryOf(botUri, plivo.getResourceDescriptor()),
                        (int) connectTimeout.toMillis());
    }

    /**
     * Starts the tap for a Plivo connection that has just opened: connects to the bot and starts
     * releasing played audio on {@code scheduler}.
     *
     * @param plivo Plivo's socket, written to with the bot's messages
     * @param botUri the bot's WebSocket URL; the query of Plivo's request is appended to it
     * @param scheduler shared by all taps; runs each tap's release every {@value
     *     #RELEASE_PERIOD_MS} ms and its timeouts
     */
    public static TapProtocol open(
            WebSocket plivo,
            URI botUri,
            RecordSink sink,
            LongSupplier clock,
            ScheduledExecutorService scheduler,
            Duration connectTimeout) {
        TapProtocol protocol =
                new TapProtocol(plivo, botUri, sink, clock, scheduler, connectTimeout);
        protocol.start();
        return protocol;
    }

    private void start() {
        synchronized (this) {
            try {
                releasing =
                        scheduler.scheduleAtFixedRate(
                                this::releasePlayedAudio,
                                RELEASE_PERIOD_MS,
                                RELEASE_PERIOD_MS,
                                TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the ingest is stopping: messages still drive the release
            }
            connectDeadline = schedule(this::giveUpConnecting, connectTimeout);
        }
        bot.connect();
    }

    @Override
    public String streamId() {
        return handler.streamId();
    }

    /** A message from Plivo: relayed to the bot, then recorded as on the plain route. */
    @Override
    public String onText(String message) {
        relayToBot(message);
        String type = handler.onText(message);
        tap.release();
        if (closePlivoOnStart && handler.streamId() != null) {
            closePlivo();
        }
        return type;
    }

    /**
     * Plivo's socket closed: the played audio is written, then the stream's end, then the bot is
     * let go.
     */
    @Override
    public void onClose(int code, String reason) {
        BotState previous;
        synchronized (this) {
            previous = state;
            if (previous == BotState.PLIVO_CLOSED) {
                return;
            }
            state = BotState.PLIVO_CLOSED;
            heldForBot.clear();
            cancel(releasing);
            cancel(connectDeadline);
        }
        // the tap's last audio must precede the end-of-stream marker the handler writes
        tap.close();
        handler.onClose(code, reason);
        if (previous != BotState.FAILED) {
            // not on this thread: Java-WebSocket calls onClose holding Plivo's socket's monitor,
            // and a bot closing at the same moment holds its own while it closes Plivo's
            runSoon(() -> closeBot(code));
        }
    }

    private void relayToBot(String message) {
        synchronized (this) {
            switch (state) {
                case OPEN -> {
                    sendToBot(message);
                    return;
                }
                case CONNECTING -> {
                    if (heldForBot.size() < MAX_HELD_FOR_BOT) {
                        heldForBot.add(message);
                        return;
                    }
                    // the queue is full: dead-lettered below, outside the lock
                }
                default -> {
                    // the bot is gone: the handler still records the message
                    return;
                }
            }
        }
        sink.deadLetter(
                DeadLetters.of(
                        "tap: not relayed, the bot's socket has not opened and "
                                + MAX_HELD_FOR_BOT
                                + " messages already wait for it",
                        handler.streamId(),
                        clock.getAsLong(),
                        message));
    }

    private void sendToBot(String message) {
        try {
            bot.send(message);
        } catch (WebsocketNotConnectedException e) {
            // the bot is closing: its onClose reports that
        }
    }

    private void botOpened() {
        synchronized (this) {
            if (state == BotState.CONNECTING) {
                while (!heldForBot.isEmpty()) {
                    sendToBot(heldForBot.poll());
                }
                state = BotState.OPEN;
                cancel(connectDeadline);
                return;
            }
        }
        // Plivo left, or the tap gave up, while the handshake was under way
        bot.close(CloseFrame.GOING_AWAY, "callpulse tap: the Plivo stream has ended");
    }

    private void fromBot(String message) {
        try {
            plivo.send(message);
        } catch (WebsocketNotConnectedException e) {
            // Plivo's socket is closing: its onClose ends the tap
        }
        tap.onBotMessage(message);
    }

    private void fromBot(byte[] message) {
        try {
            plivo.send(message);
        } catch (WebsocketNotConnectedException e) {
            // Plivo's socket is closing: its onClose ends the tap
        }
        tap.onBotBinary(message);
    }

    private void botClosed(int code, String reason) {
        String error;
        if (code == CloseFrame.NEVER_CONNECTED) {
            String cause = lastBotError != null ? lastBotError : reason;
            error = "could not connect: " + cause;
        } else {
            error =
                    "closed the connection with "
                            + code
                            + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        }
        fail(error, false);
    }

    private void giveUpConnecting() {
        if (fail("no WebSocket handshake within " + connectTimeout.toMillis() + " ms", true)) {
            // unblocks the client's thread, whether in the TCP connect or awaiting the handshake
            closeBotSocket();
        }
    }

    /**
     * Records the bot's failure and closes Plivo's socket with 1011, once: at once if the stream is
     * known, else when {@code start} arrives or {@link #WAIT_FOR_START_AFTER_FAILURE} has passed.
     *
     * @return whether this call was the one that failed the tap
     */
    private boolean fail(String error, boolean onlyWhileConnecting) {
        synchronized (this) {
            if (state == BotState.FAILED
                    || state == BotState.PLIVO_CLOSED
                    || (onlyWhileConnecting && state != BotState.CONNECTING)) {
                return false;
            }
            state = BotState.FAILED;
            heldForBot.clear();
            cancel(connectDeadline);
        }
        LOG.warn(
                "tap: the bot at {} {}; closing Plivo stream {} with 1011",
                botUrlForRecords,
                error,
                handler.streamId());
        tap.botUnavailable(botUrlForRecords, error);
        // set before the check, so that a start handled meanwhile is seen by one side or the other
        closePlivoOnStart = true;
        if (handler.streamId() != null) {
            closePlivo();
        } else if (schedule(this::closePlivo, WAIT_FOR_START_AFTER_FAILURE) == null) {
            closePlivo();
        }
        return true;
    }

    private void closePlivo() {
        plivo.close(CloseFrame.UNEXPECTED_CONDITION, BOT_UNAVAILABLE_REASON);
    }

    /** Lets the bot go with 1000 after a normal end of Plivo's stream, else 1001. */
    private void closeBot(int plivoCloseCode) {
        int code = plivoCloseCode == CloseFrame.NORMAL ? CloseFrame.NORMAL : CloseFrame.GOING_AWAY;
        LOG.debug(
                "tap: Plivo stream {} closed with {}; closing the bot's socket with {}",
                handler.streamId(),
                plivoCloseCode,
                code);
        if (bot.isOpen()) {
            bot.close(code, "callpulse tap: the Plivo stream closed with " + plivoCloseCode);
        } else {
            closeBotSocket();
        }
        schedule(
                () -> {
                    if (!bot.isClosed()) {
                        closeBotSocket();
                    }
                },
                BOT_CLOSE_TIMEOUT);
    }

    private void closeBotSocket() {
        Socket socket = bot.getSocket();
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("tap: closing the bot's socket failed", e);
        }
    }

    private void releasePlayedAudio() {
        try {
            tap.release();
        } catch (RuntimeException e) {
            // an exception would cancel the periodic release for good
            LOG.error("tap: releasing played audio of stream {} failed", handler.streamId(), e);
        }
    }

    /** Runs a task on the scheduler's thread, or here once the scheduler has shut down. */
    private void runSoon(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /**
     * Schedules a one-off task; {@code null} once the scheduler has shut down (the ingest stops).
     */
    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** The connection to the bot; its callbacks run on the client's own reading thread. */
    private final class BotConnection extends WebSocketClient {

        BotConnection(URI uri, int connectTimeoutMs) {
            super(uri, new Draft_6455(List.of(), BOT_MAX_FRAME_BYTES), Map.of(), connectTimeoutMs);
            setTcpNoDelay(true);
            setDaemon(true);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            botOpened();
        }

        @Override
        public void onMessage(String message) {
            fromBot(message);
        }

        @Override
        public void onMessage(ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            fromBot(bytes);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            botClosed(code, reason);
        }

        @Override
        public void onError(Exception ex) {
            lastBotError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
    }
}
