package io.callpulse.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The load generator's command line: plays Plivo's side of many streams against an ingest. See
 * {@link #HELP} and docs/simulator.md.
 */
public final class SimulatorMain {

    static final String HELP =
            """
usage: SimulatorMain [options]
       SimulatorMain --sink-server PORT

Plays Plivo's side of N concurrent audio streams against a callpulse ingest: start,
paced media, dtmf, stop, signed upgrades and signed status callbacks.

  --url URL            the ingest's Plivo stream route (default ws://localhost:8080/stream)
  --tap-url URL        the ingest's tap route, for the bot scenario
                       (default: --url with its path replaced by /tap)
  --callback-url URL   where StartStream/StopStream/DroppedStream are POSTed, form-encoded
                       (default: none, no callbacks)
  --auth-token TOKEN   sign upgrades and callbacks (X-Plivo-Signature-V3 and nonce);
                       also read from PLIVO_AUTH_TOKEN (default: unsigned)
  --main-auth-token T  sign X-Plivo-Signature-Ma-V3 with this token (default: --auth-token)
  --calls N            concurrent calls (default 10)
  --duration D         keep N calls going for D, replacing calls that end; at D the open
                       calls stop normally (default: each call plays once)
  --ramp-up D          start the first N calls evenly over D (default 0s)
  --call-length D      length of a synthetic call (default 30s; WAV calls last the file)
  --scenario MIX       e.g. normal=70,dropped=10,silent-drop=5,no-media=5,one-way=5,
                       reordered=5; percentages add up to 100. Scenarios: normal,
                       dropped, silent-drop, no-media, one-way, reordered, malformed, bot
                       (default normal=100)
  --format F           mulaw-8k, l16-8k or l16-16k (default mulaw-8k)
  --tracks T           inbound, outbound or both (default both; bot is inbound only)
  --pacing P           real-time (20 ms per message per track) or fast (as fast as the
                       sockets take it, for benchmarks) (default real-time)
  --audio A            speech (harmonic complex with syllable-rate modulation) or tones
                       (default speech)
  --wav FILE[,FILE2]   play WAV files instead: one file (its first channel is the caller,
                       its second, if any, the agent) or two (caller, agent); PCM 8/16-bit
                       or mu-law, any rate, converted to --format
  --extra-headers S    the extraHeaders attribute (default callpulseSim=1)
  --bot-port PORT      serve the bot for the tap on this port when the mix has bot
                       (default 8090; configure the ingest's tap bot URL to match)
  --seed N             varies the synthetic conversations (default 1)
  --sink-server PORT   run only a counting server: WebSocket on PORT, callbacks (HTTP,
                       answered 200) on PORT+1; prints counts every second; with
                       --auth-token it also counts good and bad signatures
  --help               this text

Durations: 500ms, 30s, 2m. Progress goes to stderr every second, the summary to stdout.
Exit status: 0; 1 when the ingest refused an upgrade, closed a stream itself, or answered
a callback with other than 200; 2 for bad arguments.
""";

    private SimulatorMain() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options;
        try {
            options = Options.parse(args, System.getenv("PLIVO_AUTH_TOKEN"));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("try --help");
            return 2;
        }
        if (options.help) {
            out.print(HELP);
            return 0;
        }
        if (options.sinkPort >= 0) {
            runSink(options.sinkPort, options.authToken, err);
            return 0;
        }
        LoadRun.Config config = options.config();
        BotServer bot = null;
        if (config.mix().percentages().getOrDefault(Scenario.BOT, 0) > 0) {
            bot = new BotServer(new InetSocketAddress(options.botPort));
            bot.start();
            err.println("bot listening on port " + options.botPort);
        }
        try {
            LoadRun run = new LoadRun(config);
            RunStats stats = run.run(err);
            out.print(stats.summary(run.elapsedMs()));
            if (bot != null) {
                out.println(bot.summary());
            }
            return stats.failures() > 0 ? 1 : 0;
        } finally {
            if (bot != null) {
                bot.stop(1000);
            }
        }
    }

    private static void runSink(int port, String authToken, PrintStream err) throws Exception {
        try (SinkServer sink = new SinkServer(port, port + 1, authToken)) {
            sink.start();
            err.println(
                    "sink: WebSocket on port "
                            + sink.webSocketPort()
                            + ", callbacks on port "
                            + sink.httpPort());
            long last = 0;
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
                long m = sink.messages();
                err.println(sink.line() + "  msg/s " + (m - last));
                last = m;
            }
        }
    }

    /** Parses a duration such as 500ms, 30s, 2m, or a bare number of seconds. */
    static Duration duration(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(
                        Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis(
                        Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a duration: " + text);
        }
    }

    static StreamFormat format(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "mulaw-8k", "audio/x-mulaw", "audio/x-mulaw;rate=8000" -> StreamFormat.MULAW_8K;
            case "l16-8k", "audio/x-l16", "audio/x-l16;rate=8000" -> StreamFormat.L16_8K;
            case "l16-16k", "audio/x-l16;rate=16000" -> StreamFormat.L16_16K;
            default -> throw new IllegalArgumentException("--format: unknown format " + text);
        };
    }

    /** The parsed command line. */
    static final class Options {
        boolean help;
        int sinkPort = -1;
        URI url = URI.create("ws://localhost:8080/stream");
        URI tapUrl;
        URI callbackUrl;
        String authToken;
        String mainAuthToken;
        int calls = 10;
        Duration duration;
        Duration rampUp = Duration.ZERO;
        Duration callLength = Duration.ofSeconds(30);
        ScenarioMix mix = ScenarioMix.parse("normal=100");
        StreamFormat format = StreamFormat.MULAW_8K;
        LoadRun.Tracks tracks = LoadRun.Tracks.BOTH;
        boolean realTime = true;
        Conversations.Voice voice = Conversations.Voice.SPEECH;
        List<String> wavs = List.of();
        String extraHeaders = "callpulseSim=1";
        int botPort = 8090;
        long seed = 1;

        static Options parse(String[] args, String tokenFromEnvironment) {
            Options o = new Options();
            o.authToken = blankToNull(tokenFromEnvironment);
            Deque<String> rest = new ArrayDeque<>(List.of(args));
            while (!rest.isEmpty()) {
                String option = rest.poll();
                String value = null;
                int eq = option.indexOf('=');
                if (option.startsWith("--") && eq > 0) {
                    value = option.substring(eq + 1);
                    option = option.substring(0, eq);
                }
                if (option.equals("--help") || option.equals("-h")) {
                    o.help = true;
                    continue;
                }
                if (value == null) {
                    if (rest.isEmpty()) {
                        throw new IllegalArgumentException(option + " needs a value");
                    }
                    value = rest.poll();
                }
                switch (option) {
                    case "--url" -> o.url = uri(option, value, "ws", "wss");
                    case "--tap-url" -> o.tapUrl = uri(option, value, "ws", "wss");
                    case "--callback-url" -> o.callbackUrl = uri(option, value, "http", "https");
                    case "--auth-token" -> o.authToken = blankToNull(value);
                    case "--main-auth-token" -> o.mainAuthToken = blankToNull(value);
                    case "--calls" -> o.calls = positive(option, value);
                    case "--duration" -> o.duration = duration(option, value);
                    case "--ramp-up" -> o.rampUp = duration(option, value);
                    case "--call-length" -> o.callLength = duration(option, value);
                    case "--scenario" -> o.mix = ScenarioMix.parse(value);
                    case "--format" -> o.format = format(value);
                    case "--tracks" -> o.tracks = enumValue(option, LoadRun.Tracks.class, value);
                    case "--pacing" -> {
                        switch (value) {
                            case "real-time" -> o.realTime = true;
                            case "fast" -> o.realTime = false;
                            default ->
                                    throw new IllegalArgumentException(
                                            "--pacing: real-time or fast, not " + value);
                        }
                    }
                    case "--audio" -> o.voice = enumValue(option, Conversations.Voice.class, value);
                    case "--wav" -> o.wavs = List.of(value.split(","));
                    case "--extra-headers" -> o.extraHeaders = blankToNull(value);
                    case "--bot-port" -> o.botPort = positive(option, value);
                    case "--seed" -> o.seed = Long.parseLong(value);
                    case "--sink-server" -> o.sinkPort = positive(option, value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (o.wavs.size() > 2) {
                throw new IllegalArgumentException("--wav: one or two files");
            }
            if (o.duration != null && o.duration.isZero()) {
                throw new IllegalArgumentException("--duration must be positive");
            }
            if (o.callLength.toMillis() < 20) {
                throw new IllegalArgumentException("--call-length must be at least 20ms");
            }
            return o;
        }

        LoadRun.Config config() throws IOException {
            LoadRun.AudioSource audio = LoadRun.AudioSource.synthetic(voice, seed);
            Duration length = callLength;
            if (!wavs.isEmpty()) {
                WavAudio first = WavAudio.read(Path.of(wavs.get(0)));
                short[] caller = first.channels()[0];
                short[] agent;
                int rate = first.sampleRate();
                if (wavs.size() == 2) {
                    WavAudio second = WavAudio.read(Path.of(wavs.get(1)));
                    agent = Resampler.resample(second.channels()[0], second.sampleRate(), rate);
                } else {
                    agent =
                            first.channels().length > 1
                                    ? first.channels()[1]
                                    : new short[caller.length];
                }
                audio = LoadRun.AudioSource.fixed(caller, agent, rate);
                length = Duration.ofMillis(Math.max(caller.length, agent.length) * 1000L / rate);
            }
            URI tap = tapUrl != null ? tapUrl : url.resolve("/tap");
            return new LoadRun.Config(
                    url,
                    tap,
                    callbackUrl,
                    authToken,
                    mainAuthToken,
                    calls,
                    duration,
                    rampUp,
                    length,
                    mix,
                    format,
                    tracks,
                    realTime,
                    audio,
                    extraHeaders,
                    seed);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a positive number: " + value);
            }
        }

        private static URI uri(String option, String value, String... schemes) {
            URI uri;
            try {
                uri = new URI(value.trim());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(option + ": not a URL: " + value);
            }
            if (uri.getHost() == null || !List.of(schemes).contains(uri.getScheme())) {
                throw new IllegalArgumentException(
                        option + ": needs a " + String.join(" or ", schemes) + " URL: " + value);
            }
            return uri;
        }

        private static <E extends Enum<E>> E enumValue(String option, Class<E> type, String value) {
            try {
                return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": unknown value " + value);
            }
        }
    }
}
