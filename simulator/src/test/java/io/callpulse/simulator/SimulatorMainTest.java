package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
