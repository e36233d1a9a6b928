package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small runs against real in-test servers that count what they receive. */
class LoadRunTest {

    private static LoadRun.Config config(
            URI url,
            URI tap,
            URI callbacks,
            int calls,
            String mix,
            boolean realTime,
            long lengthMs) {
        return new LoadRun.Config(
                url,
                tap,
                callbacks,
                "my_auth_token",
                null,
                calls,
                null,
                Duration.ZERO,
                Duration.ofMillis(lengthMs),
                ScenarioMix.parse(mix),
                StreamFormat.MULAW_8K,
                LoadRun.Tracks.BOTH,
                realTime,
                LoadRun.AudioSource.synthetic(Conversations.Voice.TONES, 1),
                "a=1",
                1);
    }

    private static void awaitAllClosed(SinkServer sink) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (sink.open() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }

    @Test
    void aMixedRunDeliversExactlyTheScriptedMessagesClosesAndCallbacks() throws Exception {
        try (SinkServer sink = new SinkServer(0, 0, "my_auth_token")) {
            sink.start();
            URI url = URI.create("ws://localhost:" + sink.webSocketPort() + "/stream");
            URI callbacks = URI.create("http://localhost:" + sink.httpPort() + "/status");
            // 1 s calls: 50 chunks a track
            LoadRun run =
                    new LoadRun(
                            config(
                                    url,
                                    url,
                                    callbacks,
                                    10,
                                    "normal=50,dropped=10,silent-drop=10,no-media=10,reordered=10,"
                                            + "malformed=10",
                                    false,
                                    1000));
            Map<String, Long> callbacksHeardOf = new java.util.concurrent.ConcurrentHashMap<>();
            long before = System.currentTimeMillis();
            run.onCallbackSent(
                    (streamId, event, sentAtMs) -> {
                        if (sentAtMs >= before && sentAtMs <= System.currentTimeMillis()) {
                            callbacksHeardOf.merge(event, 1L, Long::sum);
                        }
                    });
            RunStats stats = run.run(null);
            awaitAllClosed(sink);
            // the listener hears of each callback, with the wall time it was sent
            assertThat(callbacksHeardOf)
                    .isEqualTo(Map.of("StartStream", 10L, "StopStream", 9L, "DroppedStream", 1L));

            // normal 5 x 103 (start, 100 media, dtmf, stop); dropped and silent drop 62 each
            // (start, 60 media, dtmf); no media 1; reordered 103 (one doubled, one lost);
            // malformed 105 (two extra messages)
            assertThat(stats.messages()).isEqualTo(848);
            assertThat(stats.messageKinds())
                    .isEqualTo(
                            Map.of(
                                    "start", 10L,
                                    "media", 818L,
                                    "malformed", 3L,
                                    "unknown_event", 1L,
                                    "dtmf", 9L,
                                    "stop", 7L));
            // all but the dropped stream's 62 arrive on connections closed with a close frame
            assertThat(sink.messagesBeforeCloseFrames()).isEqualTo(848 - 62);
            // the dropped stream's last frames may be lost in the cut; its first are not
            assertThat(sink.messages()).isBetween(848L - 61, 848L);
            assertThat(sink.events())
                    .containsEntry("start", 10L)
                    .containsEntry("stop", 7L)
                    .containsEntry("muteStream", 1L);
            // the dropped stream ended without a close frame
            assertThat(sink.closeFrames()).isEqualTo(Map.of(1000, 9L));
            assertThat(sink.connections()).isEqualTo(10);
            assertThat(stats.closeCodes()).isEqualTo(Map.of(1000, 9L));
            assertThat(sink.callbackEvents())
                    .isEqualTo(Map.of("StartStream", 10L, "StopStream", 9L, "DroppedStream", 1L));
            assertThat(stats.callbackStatuses())
                    .isEqualTo(
                            Map.of(
                                    "StartStream 200", 10L,
                                    "StopStream 200", 9L,
                                    "DroppedStream 200", 1L));
            assertThat(stats.outcomes())
                    .isEqualTo(
                            Map.of(
                                    "normal completed", 5L,
                                    "dropped dropped", 1L,
                                    "silent-drop completed", 1L,
                                    "no-media completed", 1L,
                                    "reordered completed", 1L,
                                    "malformed completed", 1L));
            assertThat(stats.failures()).isZero();
            assertThat(stats.open()).isZero();
            // 10 upgrades and 20 callbacks, each signed for the URL it was sent to
            assertThat(sink.goodSignatures()).isEqualTo(30);
            assertThat(sink.badSignatures()).isZero();
        }
    }

    @Test
    void aTimedRunEndsItsOpenCallsNormallyAtTheDeadline() throws Exception {
        try (SinkServer sink = new SinkServer(0, 0)) {
            sink.start();
            URI url = URI.create("ws://localhost:" + sink.webSocketPort() + "/stream");
            LoadRun.Config tenSecondCalls = config(url, url, null, 2, "normal", true, 10_000);
            LoadRun.Config timed =
                    new LoadRun.Config(
                            url,
                            url,
                            null,
                            null,
                            null,
                            2,
                            Duration.ofSeconds(1),
                            Duration.ZERO,
                            tenSecondCalls.callLength(),
                            tenSecondCalls.mix(),
                            StreamFormat.L16_16K,
                            LoadRun.Tracks.INBOUND,
                            true,
                            tenSecondCalls.audio(),
                            null,
                            1);
            LoadRun run = new LoadRun(timed);
            RunStats stats = run.run(null);
            awaitAllClosed(sink);
            assertThat(run.elapsedMs()).isBetween(1000L, 5000L);
            assertThat(stats.outcomes()).isEqualTo(Map.of("normal completed", 2L));
            assertThat(sink.events()).containsEntry("start", 2L).containsEntry("stop", 2L);
            assertThat(sink.closeFrames()).isEqualTo(Map.of(1000, 2L));
        }
    }

    @Test
    void aTimedRunReplacesCallsThatEnd() throws Exception {
        try (SinkServer sink = new SinkServer(0, 0)) {
            sink.start();
            URI url = URI.create("ws://localhost:" + sink.webSocketPort() + "/stream");
            LoadRun.Config short_ = config(url, url, null, 2, "no-media", true, 100);
            LoadRun.Config timed =
                    new LoadRun.Config(
                            url,
                            url,
                            null,
                            null,
                            null,
                            2,
                            Duration.ofMillis(1500),
                            Duration.ZERO,
                            short_.callLength(),
                            short_.mix(),
                            short_.format(),
                            short_.tracks(),
                            true,
                            short_.audio(),
                            null,
                            1);
            RunStats stats = new LoadRun(timed).run(null);
            awaitAllClosed(sink);
            // 100 ms calls for 1.5 s, two at a time: far more than two
            assertThat(stats.outcomes()).containsOnlyKeys("no-media completed");
            assertThat(stats.outcomes().get("no-media completed")).isGreaterThanOrEqualTo(6L);
            assertThat(sink.events().get("start")).isEqualTo(sink.connections());
            assertThat(stats.failures()).isZero();
        }
    }

    @Test
    void aRefusedUpgradeIsAFailure() throws Exception {
        // an HTTP server, not a WebSocket one: every upgrade is answered 404
        try (SinkServer sink = new SinkServer(0, 0)) {
            sink.start();
            URI notWebSocket = URI.create("ws://localhost:" + sink.httpPort() + "/stream");
            RunStats stats =
                    new LoadRun(config(notWebSocket, notWebSocket, null, 2, "normal", false, 100))
                            .run(null);
            assertThat(stats.outcomes()).isEqualTo(Map.of("normal refused", 2L));
            assertThat(stats.failures()).isEqualTo(2);
        }
    }

    @Test
    void onTheTapTheSimulatorAnswersTheBotsCheckpointsAndClearAudioAsPlivoDoes() throws Exception {
        BotServer bot = new BotServer(new InetSocketAddress("localhost", 0));
        bot.start();
        try {
            long until = System.nanoTime() + 10_000_000_000L;
            while (bot.getPort() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            // the bot stands in for the ingest's tap, which relays both ways unchanged
            URI tap = URI.create("ws://localhost:" + bot.getPort() + "/tap");
            // 4 s in real time: turn-1 (1 s at 1 s) is acknowledged at 2 s; turn-2 (at 3 s) is
            // cleared at 3.5 s and never acknowledged
            RunStats stats = new LoadRun(config(tap, tap, null, 1, "bot", true, 4000)).run(null);
            assertThat(stats.outcomes()).isEqualTo(Map.of("bot completed", 1L));
            assertThat(stats.messageKinds())
                    .isEqualTo(
                            Map.of(
                                    "start", 1L, "media", 200L, "dtmf", 1L, "reply", 2L, "stop",
                                    1L));
            // playAudio and checkpoint for turn-1 and turn-2, then clearAudio
            assertThat(bot.summary())
                    .isEqualTo(
                            "bot: 1 connections, 205 messages heard, 5 sent, 1 playedStream and 1"
                                    + " clearedAudio received");
        } finally {
            bot.stop(1000);
        }
    }
}
