package io.callpulse.ingest.tap;

import static io.callpulse.ingest.tap.BotMessageTapTest.playAudio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.plivo.PlivoRoutes;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.ingest.websocket.StreamRoute;
import io.callpulse.ingest.websocket.StreamWebSocketServer;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tap over real sockets: a Plivo-side client, the ingest's WebSocket server, and a bot. Times
 * are real here, so assertions about them state their tolerance; the exact timing model is {@link
 * PlayoutTimelineTest}'s.
 */
class TapProtocolTest {

    private static final String START =
            """
            {"event":"start","sequenceNumber":1,
             "start":{"callId":"call-1","streamId":"stream-1","accountId":"MA1",
                      "tracks":["inbound"],
                      "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000}},
             "extra_headers":"userId=12345;sessionId=abc"}\
            """;

    /**
     * Long enough for a loaded two-core machine; every wait ends as soon as its condition holds.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private final CollectingSink sink = new CollectingSink();
    private final ScheduledExecutorService scheduler = TapRoutes.newScheduler();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private FakeBot bot;
    private StreamWebSocketServer ingest;
    private int ingestPort;

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        scheduler.shutdownNow();
    }

    // ---------------------------------------------------------------- relay

    @Test
    void everyMessageIsRelayedUnchangedAndInOrderBothWays() throws Exception {
        startBot();
        startIngest(botUrl("/agent?token=t"), unsigned());
        PlivoClient plivo = connectPlivo("/tap?CallUUID=call-1&x=a%20b", null);
        // sent at once, while the tap is most likely still connecting to the bot: held, in order
        assertThat(plivo.opened.get(5, TimeUnit.SECONDS)).isTrue();

        List<String> fromPlivo = new ArrayList<>();
        fromPlivo.add(START);
        for (int chunk = 1; chunk <= 50; chunk++) {
            fromPlivo.add(media(chunk, payload(160, chunk)));
        }
        fromPlivo.add(
                "{ \"event\" : \"muteStream\", \"streamId\":\"stream-1\", \"note\":\"é ✓\" }");
        fromPlivo.forEach(plivo::send);

        assertThat(bot.descriptor.get(5, TimeUnit.SECONDS))
                .isEqualTo("/agent?token=t&CallUUID=call-1&x=a%20b");
        assertThat(take(bot.received, fromPlivo.size())).containsExactlyElementsOf(fromPlivo);

        List<String> fromBot =
                List.of(
                        playAudio("audio/x-mulaw", 8000, payload(160, 1)),
                        "{\"event\":\"checkpoint\",  \"streamId\":\"stream-1\",\"name\":\"ü-1\"}",
                        "not JSON at all",
                        "{\"event\":\"sendDTMF\",\"dtmf\":\"12#\"}");
        WebSocket botSide = bot.connection.get(5, TimeUnit.SECONDS);
        fromBot.forEach(botSide::send);

        assertThat(take(plivo.received, fromBot.size())).containsExactlyElementsOf(fromBot);
        // the Plivo side is recorded as on the plain route
        await(() -> sink.audio(Track.INBOUND).size() == 50, "50 inbound records");
        assertThat(sink.audio(Track.INBOUND))
                .extracting(AudioRecord::firstChunk)
                .containsExactlyElementsOf(range(1, 50));
        assertThat(sink.events)
                .extracting(StreamEvent::type)
                .containsSubsequence(StreamEvent.Types.START, "muteStream");
        // the non-JSON message was relayed, and dead-lettered on the tap side only
        await(() -> !sink.deadLetters.isEmpty(), "the tap's dead letter");
        assertThat(sink.deadLetters).extracting(DeadLetter::raw).containsExactly("not JSON at all");
    }

    @Test
    void anUnsignedUpgradeIsRefusedBeforeTheBotIsCalled() throws Exception {
        startBot();
        startIngest(botUrl("/agent"), new PlivoRequestVerifier("my_auth_token", null));

        PlivoClient plivo = connectPlivo("/tap", null);

        assertThat(plivo.opened.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(bot.connection).isNotDone();
    }

    // ---------------------------------------------------------------- the tap

    @Test
    void theBotsPlayAudioBecomesTheOutboundTrackInItsOwnFormat() throws Exception {
        startBot();
        startIngest(botUrl("/agent"), unsigned());
        PlivoClient plivo = connectPlivo("/tap", START);
        WebSocket botSide = botReceivedStart();

        // five 20 ms messages of L16 at 16 kHz, while the inbound track is mu-law at 8 kHz
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            byte[] payload = payload(640, i);
            sent.write(payload);
            botSide.send(playAudio("audio/x-l16", i % 2 == 0 ? "16000" : "\"16000\"", payload));
        }
        await(() -> samples(sink.audio(Track.OUTBOUND)) == 1600, "100 ms of outbound audio");

        List<AudioRecord> outbound = sink.audio(Track.OUTBOUND);
        assertThat(outbound)
                .extracting(AudioRecord::streamId, AudioRecord::encoding, AudioRecord::sampleRate)
                .containsOnly(tuple("stream-1", AudioEncoding.L16, 16000));
        assertThat(outbound)
                .extracting(AudioRecord::firstChunk)
                .containsExactlyElementsOf(range(1, outbound.size()));
        assertThat(concat(outbound)).isEqualTo(sent.toByteArray());
        // played back to back from the first message's arrival: no gap, no overlap
        long firstPlayedAt = outbound.get(0).mediaTimestampMs();
        assertThat(firstPlayedAt).isEqualTo(outbound.get(0).receivedAtMs());
        long expectedStart = firstPlayedAt;
        for (AudioRecord record : outbound) {
            assertThat(record.mediaTimestampMs()).isEqualTo(expectedStart);
            expectedStart += record.sampleCount() / 16;
        }
        assertThat(expectedStart).isEqualTo(firstPlayedAt + 100);
        assertThat(take(plivo.received, 5)).hasSize(5);
    }

    @Test
    void clearAudioSentMidPlayoutCutsTheOutboundTrackWhereItCame() throws Exception {
        startBot();
        startIngest(botUrl("/agent"), unsigned());
        PlivoClient plivo = connectPlivo("/tap", START);
        WebSocket botSide = botReceivedStart();

        byte[] oneSecond = payload(8000, 9);
        botSide.send(playAudio("audio/x-mulaw", 8000, oneSecond));
        await(() -> samples(sink.audio(Track.OUTBOUND)) >= 800, "100 ms played");
        long clearSentAt = System.currentTimeMillis();
        botSide.send("{\"event\":\"clearAudio\",\"streamId\":\"stream-1\"}");
        StreamEvent clear = awaitEvent(StreamEvent.Types.CLEAR_AUDIO);
        long playStart = sink.audio(Track.OUTBOUND).get(0).receivedAtMs();
        // wait past where the whole second would have ended
        await(
                () -> System.currentTimeMillis() > playStart + 1_100,
                "past the end of the dropped audio");

        List<AudioRecord> outbound = sink.audio(Track.OUTBOUND);
        int played = samples(outbound);
        assertThat(played).isBetween(800, 7999);
        // exactly the samples played before the cut: 8 per ms from the play start
        assertThat(played).isEqualTo((int) (8 * (clear.receivedAtMs() - playStart)));
        assertThat(concat(outbound)).isEqualTo(Arrays.copyOf(oneSecond, played));
        // the tap read the clearAudio within 100 ms of its sending (socket and thread hops)
        assertThat(clear.receivedAtMs()).isBetween(clearSentAt, clearSentAt + 100);
        assertThat(clear.attributes()).containsEntry("cancelledCheckpoints", "[]");
        assertThat(take(plivo.received, 2))
                .endsWith("{\"event\":\"clearAudio\",\"streamId\":\"stream-1\"}");
    }

    @Test
    void checkpointClearAudioAndSendDtmfAreEventsDistinctFromPlivosAnswers() throws Exception {
        startBot();
        startIngest(botUrl("/agent"), unsigned());
        PlivoClient plivo = connectPlivo("/tap", START);
        WebSocket botSide = botReceivedStart();

        botSide.send(playAudio("audio/x-mulaw", 8000, payload(160, 1)));
        botSide.send("{\"event\":\"checkpoint\",\"streamId\":\"stream-1\",\"name\":\"turn-1\"}");
        botSide.send("{\"event\":\"sendDTMF\",\"dtmf\":\"12#\"}");
        StreamEvent checkpoint = awaitEvent(StreamEvent.Types.CHECKPOINT);
        StreamEvent dtmf = awaitEvent(StreamEvent.Types.SEND_DTMF);
        take(plivo.received, 3);
        await(() -> samples(sink.audio(Track.OUTBOUND)) == 160, "the 20 ms played");
        // Plivo's answers, recorded by the Plivo side under their own names
        plivo.send("{\"event\":\"playedStream\",\"streamId\":\"stream-1\",\"name\":\"turn-1\"}");
        // the two sides are separate sockets: each step waits for the one before to be recorded
        awaitEvent(StreamEvent.Types.PLAYED_STREAM);
        botSide.send("{\"event\":\"clearAudio\",\"streamId\":\"stream-1\"}");
        // Plivo answers once it has the relayed clearAudio; the tap has read it by then
        take(plivo.received, 1);
        awaitEvent(StreamEvent.Types.CLEAR_AUDIO);
        plivo.send("{\"event\":\"clearedAudio\",\"streamId\":\"stream-1\"}");
        awaitEvent(StreamEvent.Types.CLEARED_AUDIO);

        long playStart = sink.audio(Track.OUTBOUND).get(0).receivedAtMs();
        assertThat(checkpoint.attributes())
                .isEqualTo(Map.of("name", "turn-1", "expectedPlayedAtMs", "" + (playStart + 20)));
        assertThat(dtmf.attributes()).isEqualTo(Map.of("dtmf", "12#"));
        assertThat(sink.events)
                .extracting(StreamEvent::type)
                .containsSubsequence(
                        StreamEvent.Types.START,
                        StreamEvent.Types.CHECKPOINT,
                        StreamEvent.Types.SEND_DTMF,
                        StreamEvent.Types.PLAYED_STREAM,
                        StreamEvent.Types.CLEAR_AUDIO,
                        StreamEvent.Types.CLEARED_AUDIO);
        assertThat(awaitEvent(StreamEvent.Types.PLAYED_STREAM).attributes())
                .containsEntry("name", "turn-1");
    }

    // ---------------------------------------------------------------- failures and closing

    @Test
    void aBotThatIsDownClosesPlivosSocketWith1011AndIsRecorded() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        URI downBot = URI.create("ws://127.0.0.1:" + closedPort + "/agent?secret=s");
        startIngest(downBot, unsigned());
        long connectedAt = System.currentTimeMillis();

        PlivoClient plivo = connectPlivo("/tap", START);

        Close close = plivo.closed.get(5, TimeUnit.SECONDS);
        assertThat(close).isEqualTo(new Close(1011, TapProtocol.BOT_UNAVAILABLE_REASON));
        // a refused connection is seen at once; 2 s allows for a loaded machine
        assertThat(System.currentTimeMillis() - connectedAt).isLessThan(2_000);
        StreamEvent unavailable = awaitEvent(StreamEvent.Types.TAP_BOT_UNAVAILABLE);
        assertThat(unavailable.streamId()).isEqualTo("stream-1");
        assertThat(unavailable.attributes())
                .containsEntry("botUrl", "ws://127.0.0.1:" + closedPort + "/agent");
        assertThat(unavailable.attributes().get("error"))
                .isEqualTo("could not connect: ConnectException: Connection refused");
        StreamEvent closed = awaitEvent(StreamEvent.Types.CLOSED);
        assertThat(closed.closeCode()).isEqualTo(1011);
    }

    @Test
    void aBotThatNeverAnswersTheUpgradeIsGivenUpAfterTheConnectTimeout() throws Exception {
        try (ServerSocket silentBot = new ServerSocket(0)) {
            URI botUri = URI.create("ws://127.0.0.1:" + silentBot.getLocalPort() + "/agent");
            startIngest(tapRoute(botUri, Duration.ofMillis(500), unsigned()));
            long connectedAt = System.currentTimeMillis();

            PlivoClient plivo = connectPlivo("/tap", START);
            try (Socket accepted = silentBot.accept()) {
                Close close = plivo.closed.get(5, TimeUnit.SECONDS);

                assertThat(close.code()).isEqualTo(1011);
                // 500 ms, and up to 1.5 s more for a loaded machine
                assertThat(System.currentTimeMillis() - connectedAt).isBetween(500L, 2_000L);
                assertThat(awaitEvent(StreamEvent.Types.TAP_BOT_UNAVAILABLE).attributes())
                        .containsEntry("error", "no WebSocket handshake within 500 ms");
                // the tap let go of the bot's socket: no thread is left waiting on it
                accepted.setSoTimeout(5_000);
                assertThat(drainUntilEndOfStream(accepted)).isTrue();
            }
        }
    }

    @Test
    void aBotThatGoesAwayMidCallClosesPlivosSocketWith1011() throws Exception {
        startBot();
        startIngest(botUrl("/agent"), unsigned());
        PlivoClient plivo = connectPlivo("/tap", START);
        WebSocket botSide = botReceivedStart();

        botSide.close(1000, "bye");

        assertThat(plivo.closed.get(5, TimeUnit.SECONDS))
                .isEqualTo(new Close(1011, TapProtocol.BOT_UNAVAILABLE_REASON));
        assertThat(awaitEvent(StreamEvent.Types.TAP_BOT_UNAVAILABLE).attributes())
                .containsEntry("error", "closed the connection with 1000 (bye)");
    }

    @Test
    void plivoClosingClosesTheBotsSocketAfterTheLastPlayedAudio() throws Exception {
        startBot();
        startIngest(botUrl("/agent"), unsigned());
        PlivoClient plivo = connectPlivo("/tap", START);
        WebSocket botSide = botReceivedStart();
        botSide.send(playAudio("audio/x-mulaw", 8000, payload(160, 1)));
        await(() -> samples(sink.audio(Track.OUTBOUND)) == 160, "the 20 ms played");

        plivo.close(1000, "call ended");

        assertThat(bot.closed.get(5, TimeUnit.SECONDS))
                .isEqualTo(new Close(1000, "callpulse tap: the Plivo stream closed with 1000"));
        await(() -> !sink.events(StreamEvent.Types.CLOSED).isEmpty(), "the closed event");
        List<AudioRecord> audio = sink.audio;
        assertThat(audio.get(audio.size() - 1).endOfStream()).isTrue();
        assertThat(sink.events(StreamEvent.Types.TAP_BOT_UNAVAILABLE)).isEmpty();
    }

    // ---------------------------------------------------------------- fixtures

    private static PlivoRequestVerifier unsigned() {
        return new PlivoRequestVerifier(null, null);
    }

    private URI botUrl(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + bot.getPort() + pathAndQuery);
    }

    private void startBot() throws Exception {
        bot = new FakeBot();
        bot.start();
        bot.started.get(5, TimeUnit.SECONDS);
        toClose.add(() -> bot.stop(2_000));
    }

    private void startIngest(URI botUri, PlivoRequestVerifier verifier) throws Exception {
        startIngest(
                TapRoutes.stream(
                        "/tap", verifier, sink, System::currentTimeMillis, botUri, scheduler));
    }

    private StreamRoute tapRoute(
            URI botUri, Duration connectTimeout, PlivoRequestVerifier verifier) {
        return new StreamRoute(
                "/tap",
                "tap",
                PlivoRoutes.signedUpgrade(verifier),
                plivo ->
                        TapProtocol.open(
                                plivo,
                                botUri,
                                sink,
                                System::currentTimeMillis,
                                scheduler,
                                connectTimeout));
    }

    private void startIngest(StreamRoute tap) throws Exception {
        ingest =
                new StreamWebSocketServer(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(tap),
                        PlivoRoutes.stream("/stream", unsigned(), sink, System::currentTimeMillis),
                        sink,
                        System::currentTimeMillis,
                        new IngestMetrics());
        ingest.start();
        ingestPort = ingest.started().get(5, TimeUnit.SECONDS);
        toClose.add(() -> ingest.stop(2_000));
    }

    /** Connects as Plivo does, sending {@code firstMessage} (its start) as soon as it opens. */
    private PlivoClient connectPlivo(String pathAndQuery, String firstMessage) throws Exception {
        PlivoClient client =
                new PlivoClient(
                        URI.create("ws://127.0.0.1:" + ingestPort + pathAndQuery), firstMessage);
        client.connect();
        toClose.add(client::close);
        return client;
    }

    private WebSocket botReceivedStart() throws Exception {
        assertThat(take(bot.received, 1)).containsExactly(START);
        return bot.connection.get(5, TimeUnit.SECONDS);
    }

    private StreamEvent awaitEvent(String type) throws InterruptedException {
        await(() -> !sink.events(type).isEmpty(), "a " + type + " event");
        return sink.events(type).get(0);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        CollectingSink.await(condition, PATIENCE, what);
    }

    private static List<String> take(BlockingQueue<String> queue, int count)
            throws InterruptedException {
        List<String> taken = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (taken.size() < count) {
            String next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError(
                        "waited " + PATIENCE + " for " + count + " messages, got " + taken);
            }
            taken.add(next);
        }
        return taken;
    }

    private static boolean drainUntilEndOfStream(Socket socket) throws IOException {
        byte[] buffer = new byte[1024];
        while (true) {
            int read = socket.getInputStream().read(buffer);
            if (read < 0) {
                return true;
            }
        }
    }

    private static String media(int chunk, byte[] payload) {
        return "{\"event\":\"media\",\"sequenceNumber\":"
                + (chunk + 1)
                + ",\"streamId\":\"stream-1\",\"media\":{\"track\":\"inbound\",\"timestamp\":\""
                + (1_705_312_200_000L + 20L * chunk)
                + "\",\"chunk\":"
                + chunk
                + ",\"payload\":\""
                + Base64.getEncoder().encodeToString(payload)
                + "\"},\"extra_headers\":\"userId=12345;sessionId=abc\"}";
    }

    private static byte[] payload(int bytes, int seed) {
        byte[] payload = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            payload[i] = (byte) (seed * 31 + i);
        }
        return payload;
    }

    private static int samples(List<AudioRecord> records) {
        return records.stream().mapToInt(AudioRecord::sampleCount).sum();
    }

    private static byte[] concat(List<AudioRecord> records) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        records.forEach(record -> all.writeBytes(record.payload()));
        return all.toByteArray();
    }

    private static List<Long> range(long first, long last) {
        List<Long> values = new ArrayList<>();
        for (long value = first; value <= last; value++) {
            values.add(value);
        }
        return values;
    }

    record Close(int code, String reason) {}

    /** The operator's bot: records what it receives and lets the test speak on its socket. */
    static final class FakeBot extends WebSocketServer {
        final CompletableFuture<Integer> started = new CompletableFuture<>();
        final CompletableFuture<WebSocket> connection = new CompletableFuture<>();
        final CompletableFuture<String> descriptor = new CompletableFuture<>();
        final CompletableFuture<Close> closed = new CompletableFuture<>();
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        FakeBot() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
            setTcpNoDelay(true);
        }

        @Override
        public void onStart() {
            started.complete(getPort());
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            descriptor.complete(handshake.getResourceDescriptor());
            connection.complete(conn);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            received.add(message);
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            closed.complete(new Close(code, reason));
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            if (conn == null) {
                started.completeExceptionally(ex);
            }
        }
    }

    /** Plivo's side of the stream. */
    static final class PlivoClient extends WebSocketClient {
        final CompletableFuture<Boolean> opened = new CompletableFuture<>();
        final CompletableFuture<Close> closed = new CompletableFuture<>();
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final String firstMessage;

        PlivoClient(URI uri, String firstMessage) {
            super(uri);
            this.firstMessage = firstMessage;
            setTcpNoDelay(true);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            if (firstMessage != null) {
                send(firstMessage);
            }
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
            closed.complete(new Close(code, reason));
        }

        @Override
        public void onError(Exception ex) {}
    }
}
