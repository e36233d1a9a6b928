package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorMainTest {

    @Test
    void defaults() throws Exception {
        LoadRun.Config config = SimulatorMain.Options.parse(new String[0], null).config();
        assertThat(config.streamUrl()).isEqualTo(URI.create("ws://localhost:8080/stream"));
        assertThat(config.tapUrl()).isEqualTo(URI.create("ws://localhost:8080/tap"));
        assertThat(config.callbackUrl()).isNull();
        assertThat(config.authToken()).isNull();
        assertThat(config.calls()).isEqualTo(10);
        assertThat(config.duration()).isNull();
        assertThat(config.rampUp()).isEqualTo(Duration.ZERO);
        assertThat(config.callLength()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.mix().percentages()).isEqualTo(Map.of(Scenario.NORMAL, 100));
        assertThat(config.format()).isEqualTo(StreamFormat.MULAW_8K);
        assertThat(config.tracks()).isEqualTo(LoadRun.Tracks.BOTH);
        assertThat(config.realTime()).isTrue();
        assertThat(config.extraHeaders()).isEqualTo("callpulseSim=1");
    }

    @Test
    void everyOptionIsRead() throws Exception {
        LoadRun.Config config =
                SimulatorMain.Options.parse(
                                new String[] {
                                    "--url",
                                    "wss://ingest.example.com/stream",
                                    "--tap-url=wss://ingest.example.com/tap2",
                                    "--callback-url",
                                    "https://ingest.example.com/status",
                                    "--auth-token",
                                    "t",
                                    "--main-auth-token",
                                    "m",
                                    "--calls",
                                    "500",
                                    "--duration",
                                    "2m",
                                    "--ramp-up",
                                    "30s",
                                    "--call-length",
                                    "1500ms",
                                    "--scenario",
                                    "normal=90,bot=10",
                                    "--format",
                                    "l16-16k",
                                    "--tracks",
                                    "inbound",
                                    "--pacing",
                                    "fast",
                                    "--audio",
                                    "tones",
                                    "--extra-headers",
                                    "x=1",
                                    "--seed",
                                    "7"
                                },
                                "from-env")
                        .config();
        assertThat(config.tapUrl()).isEqualTo(URI.create("wss://ingest.example.com/tap2"));
        assertThat(config.authToken()).isEqualTo("t");
        assertThat(config.mainAuthToken()).isEqualTo("m");
        assertThat(config.calls()).isEqualTo(500);
        assertThat(config.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.rampUp()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.callLength()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.mix().percentages())
                .isEqualTo(Map.of(Scenario.NORMAL, 90, Scenario.BOT, 10));
        assertThat(config.format()).isEqualTo(StreamFormat.L16_16K);
        assertThat(config.tracks()).isEqualTo(LoadRun.Tracks.INBOUND);
        assertThat(config.realTime()).isFalse();
        assertThat(config.seed()).isEqualTo(7);
    }

    @Test
    void aStereoWavGivesTheCallerAndTheAgentAtTheStreamsRate(@TempDir Path dir) throws Exception {
        // 16 kHz stereo, 100 ms: the caller's channel at 1000, the agent's at -1000
        java.nio.ByteBuffer data =
                java.nio.ByteBuffer.allocate(1600 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 1600; i++) {
            data.putShort((short) 1000).putShort((short) -1000);
        }
        Path file = dir.resolve("call.wav");
        Files.write(file, WavAudioTest.wav(1, 2, 16000, 16, data.array()));
        LoadRun.Config config =
                SimulatorMain.Options.parse(new String[] {"--wav", file.toString()}, null).config();
        assertThat(config.callLength()).isEqualTo(Duration.ofMillis(100));
        short[][] tracks = config.audio().tracks(0, 8000, 100);
        assertThat(tracks[0]).hasSize(800).containsOnly((short) 1000);
        assertThat(tracks[1]).hasSize(800).containsOnly((short) -1000);
    }

    @Test
    void theTokenCanComeFromTheEnvironment() {
        assertThat(SimulatorMain.Options.parse(new String[0], "env-token").authToken)
                .isEqualTo("env-token");
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                SimulatorMain.run(
                        new String[] {"--calls", "0"},
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("error: --calls: not a positive number: 0\ntry --help\n");
        assertThatThrownBy(
                        () ->
                                SimulatorMain.Options.parse(
                                        new String[] {"--url", "http://x/"}, null))
                .hasMessage("--url: needs a ws or wss URL: http://x/");
        assertThatThrownBy(
                        () -> SimulatorMain.Options.parse(new String[] {"--frobnicate", "1"}, null))
                .hasMessage("unknown option --frobnicate");
        assertThatThrownBy(
                        () -> SimulatorMain.Options.parse(new String[] {"--ramp-up", "soon"}, null))
                .hasMessage("--ramp-up: not a duration: soon");
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status =
                SimulatorMain.run(
                        new String[] {"--help"},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream()));
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(SimulatorMain.HELP);
    }
}
