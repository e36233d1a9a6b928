package io.callpulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.callpulse.records.Alert;
import io.callpulse.records.ChunkHealth;
import io.callpulse.records.Json;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.StreamSummary;
import io.callpulse.records.WindowMetrics;
import io.callpulse.simulator.PlivoCall;
import io.callpulse.simulator.PlivoMessages;
import io.callpulse.simulator.PlivoStreamPlayer;
import io.callpulse.simulator.StreamFormat;
import io.callpulse.simulator.SyntheticAudio;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path with real parts: a Plivo-speaking WebSocket client, the ingest, a real Kafka
 * broker, the job on a Flink MiniCluster at parallelism 2, and the metrics read back from Kafka.
 */
class LocalStackEndToEndTest {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        // tones as speech with exactly known edges, so the plumbing is checked to the frame: the
        // energy detector's decisions on tones are exact; the default (learned) detector is
        // checked on speech-like voices in the job's and udf's tests
        stack = LocalStack.start(new LocalStack.Options(0, 2, false, false), "--vad", "energy");
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aToneOnInboundAndSilenceOnOutboundGiveExactWindows() throws Exception {
        // media time starts on a whole second, so 3 s of audio fill exactly 3 windows
        long t0 = claimMediaTime(3_000);
        String streamId = UUID.randomUUID().toString();
        PlivoCall call =
                new PlivoCall(
                        streamId,
                        "call-" + streamId,
                        StreamFormat.MULAW_8K,
                        SyntheticAudio.at(8000).tone(1000, -20, 3000).build(),
                        SyntheticAudio.at(8000).silence(3000).build(),
                        "test=1");

        PlivoStreamPlayer.Result played =
                PlivoStreamPlayer.play(
                        stack.streamEndpoint(),
                        call,
                        t0,
                        PlivoStreamPlayer.Pacing.AS_FAST_AS_POSSIBLE);
        assertThat(played.messagesSent()).isEqualTo(1 + 2 * 150);
        assertThat(played.closeCode()).isEqualTo(1000);

        List<WindowMetrics> windows =
                readUntil(
                        stack.topics().metrics(),
                        WindowMetrics.class,
                        m -> m.streamId().equals(streamId),
                        3);
        assertThat(windows)
                .extracting(WindowMetrics::windowStartMs)
                .containsExactly(t0, t0 + 1000, t0 + 2000);
        for (WindowMetrics window : windows) {
            assertThat(window.windowEndMs()).isEqualTo(window.windowStartMs() + 1000);
            assertThat(window.inbound().frames()).isEqualTo(50);
            assertThat(window.inbound().meanLevelDbfs()).isCloseTo(-20.0, within(0.1));
            assertThat(window.outbound().frames()).isEqualTo(50);
            assertThat(window.outbound().meanLevelDbfs()).isEqualTo(-120.0);
            assertThat(window.inbound().speechFrames()).isEqualTo(50);
            assertThat(window.outbound().speechFrames()).isZero();
            assertThat(window.conversation().bothSpeakingMs()).isZero();
            assertThat(window.conversation().bothSilentMs()).isZero();
        }

        List<StreamEvent> events =
                readUntil(
                        stack.topics().events(),
                        StreamEvent.class,
                        e -> e.streamId().equals(streamId),
                        2);
        assertThat(events).extracting(StreamEvent::type).containsExactly("start", "closed");
        assertThat(events.get(0).callId()).isEqualTo("call-" + streamId);
        assertThat(events.get(0).extraHeaders()).containsEntry("test", "1");
        assertThat(events.get(1).closeCode()).isEqualTo(1000);

        // once the grace period for late callbacks has passed, the stream's summary
        StreamSummary summary =
                readUntil(
                                stack.topics().summaries(),
                                StreamSummary.class,
                                m -> m.streamId().equals(streamId),
                                1)
                        .get(0);
        assertThat(summary.durationMs()).isEqualTo(3000);
        assertThat(summary.endReason()).isEqualTo("socket closed with 1000");
        assertThat(summary.call().callId()).isEqualTo("call-" + streamId);
        assertThat(summary.inbound().talkMs()).isEqualTo(3000);
        assertThat(summary.outbound().talkMs()).isZero();
        assertThat(summary.conversation().talkRatio()).isEqualTo(0.0);
        assertThat(stack.job().getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aStatusCallbackReachesTheEventsTopicOnceAndHealthIsReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String streamId = UUID.randomUUID().toString();
        String form =
                "Event=DroppedStream&StreamID="
                        + streamId
                        + "&CallUUID=u1&Error=Connection+disconnected+with+the+remote+service"
                        + "&Timestamp=2024-10-14+13%3A42%3A33";
        HttpRequest post =
                HttpRequest.newBuilder(stack.statusCallbackEndpoint())
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build();
        assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo("recorded\n");
        // Plivo retries: the retry is acknowledged but not recorded again
        assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo("duplicate\n");

        List<StreamEvent> events =
                readUntil(
                        stack.topics().events(),
                        StreamEvent.class,
                        e -> e.streamId().equals(streamId),
                        1);
        StreamEvent dropped = events.get(0);
        assertThat(dropped.type()).isEqualTo("DroppedStream");
        assertThat(dropped.source()).isEqualTo("status-callback");
        assertThat(dropped.eventTimeMs()).isEqualTo(1_728_913_353_000L);
        assertThat(dropped.attributes())
                .containsEntry("Error", "Connection disconnected with the remote service");

        // the job raises STREAM_DROPPED from the callback alone, without waiting for anything
        List<Alert> alerts =
                readUntil(
                        stack.topics().alerts(),
                        Alert.class,
                        a -> a.streamId().equals(streamId),
                        1);
        Alert alert = alerts.get(0);
        assertThat(alert.type()).isEqualTo(Alert.Types.STREAM_DROPPED);
        assertThat(alert.state()).isEqualTo(Alert.FIRING);
        assertThat(alert.id()).isEqualTo(streamId + ":STREAM_DROPPED:1728913353000");
        assertThat(alert.callId()).isEqualTo("u1");
        assertThat(alert.details())
                .containsEntry("error", "Connection disconnected with the remote service");

        HttpResponse<String> health =
                http.send(
                        HttpRequest.newBuilder(stack.statusCallbackEndpoint().resolve("/healthz"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    /**
     * A stream whose socket stays open but whose media stops is STREAM_STALLED; when the socket
     * then drops without a StopStream, the stream is STREAM_DROPPED after the grace period.
     */
    @Test
    void aSocketThatGoesQuietStallsAndADropWithoutStopStreamIsDropped() throws Exception {
        String streamId = UUID.randomUUID().toString();
        PlivoCall call =
                new PlivoCall(
                        streamId,
                        "call-" + streamId,
                        StreamFormat.MULAW_8K,
                        SyntheticAudio.at(8000).tone(1000, -20, 200).build(),
                        null,
                        null);
        WebSocketClient plivo =
                new WebSocketClient(stack.streamEndpoint()) {
                    @Override
                    public void onOpen(ServerHandshake handshake) {}

                    @Override
                    public void onMessage(String message) {}

                    @Override
                    public void onClose(int code, String reason, boolean remote) {}

                    @Override
                    public void onError(Exception ex) {}
                };
        assertThat(plivo.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        long now = System.currentTimeMillis();
        plivo.send(PlivoMessages.start(call, 1));
        for (int i = 0; i < 10; i++) {
            plivo.send(
                    PlivoMessages.media(
                            call,
                            i + 2,
                            "inbound",
                            now + 20L * i,
                            i + 1,
                            StreamFormat.MULAW_8K.encode(call.inbound(), 160 * i, 160)));
        }

        List<Alert> stalled =
                readUntil(
                        stack.topics().alerts(),
                        Alert.class,
                        a -> a.streamId().equals(streamId),
                        1);
        assertThat(stalled.get(0).type()).isEqualTo(Alert.Types.STREAM_STALLED);
        assertThat(stalled.get(0).state()).isEqualTo(Alert.FIRING);
        assertThat(stalled.get(0).callId()).isEqualTo("call-" + streamId);

        // the connection is lost without a closing handshake: 1006 on the ingest's side
        plivo.closeConnection(CloseFrame.ABNORMAL_CLOSE, "network gone");
        List<Alert> both =
                readUntil(
                        stack.topics().alerts(),
                        Alert.class,
                        a -> a.streamId().equals(streamId),
                        2);
        assertThat(both.get(1).type()).isEqualTo(Alert.Types.STREAM_DROPPED);
        assertThat(both.get(1).details())
                .containsEntry("cause", "socket closed with 1006 and no StopStream");
    }

    /** Where the next test's media may start: after all media played so far (see below). */
    private static long nextMediaStartMs;

    /**
     * A whole-second media start for {@code durationMs} of audio, later than any media played
     * before: played as fast as possible, a call moves the watermark to its media end, and audio
     * timed before that would be late.
     */
    private static synchronized long claimMediaTime(long durationMs) {
        long start = Math.max((System.currentTimeMillis() / 1000 + 1) * 1000, nextMediaStartMs);
        nextMediaStartMs = start + (durationMs / 1000 + 2) * 1000;
        return start;
    }

    /**
     * A two-party call scripted with tone bursts as speech (each held 200 ms longer by the VAD's
     * hangover): the caller talks 0-1.5 s, the agent cuts in at 1 s and talks to 2.5 s, nobody for
     * 3 s, the caller answers 5.7-6 s, nobody for 11 s, the agent answers at 17.2 s to the end.
     */
    private static PlivoCall scriptedCall(String streamId) {
        return new PlivoCall(
                streamId,
                "call-" + streamId,
                StreamFormat.MULAW_8K,
                SyntheticAudio.at(8000)
                        .tone(1000, -20, 1500)
                        .silence(4200)
                        .tone(1000, -20, 300)
                        .silence(11_700)
                        .build(),
                SyntheticAudio.at(8000)
                        .silence(1000)
                        .tone(1000, -20, 1500)
                        .silence(14_700)
                        .tone(1000, -20, 500)
                        .build(),
                null);
    }

    private static void postCallback(String streamId, String event) throws Exception {
        String form =
                "Event="
                        + event
                        + "&StreamID="
                        + streamId
                        + "&CallUUID=call-"
                        + streamId
                        + "&From=%2B441234&To=%2B445678&Timestamp="
                        + System.currentTimeMillis();
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(stack.statusCallbackEndpoint())
                                        .timeout(Duration.ofSeconds(10))
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .POST(HttpRequest.BodyPublishers.ofString(form))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    /**
     * The scripted call through ingest, broker and job gives exact windows, alerts and summary, and
     * a callback that comes before, during or after the audio gives the same joined summary.
     */
    @Test
    void aScriptedCallGivesExactConversationAlertsAndSummaryWhateverTheCallbackOrder()
            throws Exception {
        String before = UUID.randomUUID().toString();
        String during = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        long t0 = claimMediaTime(17_700);
        postCallback(before, "StartStream");
        play(scriptedCall(before), t0, () -> {});
        long t1 = claimMediaTime(17_700);
        play(
                scriptedCall(during),
                t1,
                () -> {
                    try {
                        postCallback(during, "StartStream");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        long t2 = claimMediaTime(17_700);
        play(scriptedCall(after), t2, () -> {});
        postCallback(after, "StartStream");

        List<WindowMetrics> windows =
                readUntil(
                        stack.topics().metrics(),
                        WindowMetrics.class,
                        m -> m.streamId().equals(before),
                        18);
        assertThat(windows)
                .extracting(m -> m.conversation().bothSpeakingMs())
                .containsExactly(
                        0L, 700L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(windows.get(1).conversation().interruptionsByOutbound()).isEqualTo(1);
        assertThat(windows.get(5).conversation().deadAirEpisodes()).isEqualTo(1);
        assertThat(windows.get(5).conversation().longestDeadAirMs()).isEqualTo(3000);
        assertThat(windows.get(5).conversation().callerResponseMs()).containsExactly(3000L);
        assertThat(windows.get(17).conversation().agentResponseMs()).containsExactly(11_000L);
        assertThat(windows.get(17).conversation().longestDeadAirMs()).isEqualTo(11_000);
        assertThat(windows.get(0).call().from()).isEqualTo("+441234");

        List<Alert> alerts =
                readUntil(
                        stack.topics().alerts(), Alert.class, a -> a.streamId().equals(before), 4);
        assertThat(alerts)
                .extracting(a -> a.type() + " " + a.state() + " " + (a.beganAtMs() - t0))
                .containsExactly(
                        "DEAD_AIR FIRING 6200",
                        "DEAD_AIR RESOLVED 6200",
                        "SLOW_RESPONSE FIRING 6200",
                        "SLOW_RESPONSE RESOLVED 6200");

        StreamSummary summary = summaryOf(before);
        assertThat(summary.durationMs()).isEqualTo(17_700);
        assertThat(summary.endReason()).isEqualTo("socket closed with 1000");
        assertThat(summary.callbacks()).containsExactly("StartStream");
        assertThat(summary.alerts()).containsExactly("DEAD_AIR", "SLOW_RESPONSE");
        assertThat(summary.call().from()).isEqualTo("+441234");
        assertThat(summary.call().to()).isEqualTo("+445678");
        assertThat(summary.conversation())
                .isEqualTo(
                        new StreamSummary.ConversationSummary(
                                0.5, 700, 14_000, 2, 11_000, 0, 1, 0, 0, 2, 2, 1700, 1700, 10_000L,
                                10_000L, 11_000L, 3000L, 3000L, 3000L));
        assertThat(summary.inbound().talkMs()).isEqualTo(2200);
        assertThat(summary.outbound().talkMs()).isEqualTo(2200);

        for (String other : List.of(during, after)) {
            StreamSummary joined = summaryOf(other);
            assertThat(joined.call().from()).isEqualTo("+441234");
            assertThat(joined.call().to()).isEqualTo("+445678");
            assertThat(joined.callbacks()).isEqualTo(summary.callbacks());
            assertThat(joined.alerts()).isEqualTo(summary.alerts());
            assertThat(joined.conversation()).isEqualTo(summary.conversation());
            // all but the arrival timing, which is the machine's
            assertThat(untimed(joined.inbound())).isEqualTo(untimed(summary.inbound()));
            assertThat(untimed(joined.outbound())).isEqualTo(untimed(summary.outbound()));
            assertThat(joined.durationMs()).isEqualTo(summary.durationMs());
        }
    }

    private static StreamSummary.TrackSummary untimed(StreamSummary.TrackSummary track) {
        ChunkHealth health = track.health();
        return new StreamSummary.TrackSummary(
                track.frames(),
                track.speechFrames(),
                track.talkMs(),
                track.silenceRatio(),
                track.speechLevelDbfs(),
                track.noiseFloorDbfs(),
                track.snrDb(),
                track.peakDbfs(),
                track.clippingRatio(),
                new ChunkHealth(
                        health.received(),
                        health.missing(),
                        health.duplicates(),
                        health.reordered(),
                        health.late(),
                        0,
                        0));
    }

    private static void play(PlivoCall call, long t0, Runnable halfway) throws Exception {
        PlivoStreamPlayer.Result played =
                PlivoStreamPlayer.play(
                        stack.streamEndpoint(),
                        call,
                        t0,
                        PlivoStreamPlayer.Pacing.AS_FAST_AS_POSSIBLE,
                        halfway);
        assertThat(played.closeCode()).isEqualTo(1000);
    }

    private static StreamSummary summaryOf(String streamId) throws Exception {
        return readUntil(
                        stack.topics().summaries(),
                        StreamSummary.class,
                        m -> m.streamId().equals(streamId),
                        1)
                .get(0);
    }

    private static <T> List<T> readUntil(
            String topic, Class<T> type, Predicate<T> wanted, int count) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<T> found = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    T value = Json.mapper().readValue(record.value(), type);
                    if (wanted.test(value)) {
                        found.add(value);
                    }
                }
            }
        }
        assertThat(found).as("records on %s within 60 s", topic).hasSize(count);
        return found;
    }
}
