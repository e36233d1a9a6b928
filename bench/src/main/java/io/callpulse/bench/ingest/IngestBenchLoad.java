package io.callpulse.bench.ingest;

import io.callpulse.simulator.Conversations;
import io.callpulse.simulator.LoadRun;
import io.callpulse.simulator.RunStats;
import io.callpulse.simulator.ScenarioMix;
import io.callpulse.simulator.StreamFormat;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulator load (the project's {@link LoadRun}, in the benchmark's own JVM) running on a
 * thread of its own, so that the benchmark can measure the server while it plays. It keeps the
 * simulator's tick lag (how late its 20 ms ticks run: the generator itself falling behind) from the
 * progress lines, the maximum since {@link #markWindow()}.
 */
final class IngestBenchLoad {

    private static final Pattern LAG = Pattern.compile("lag (\\d+) ms$");

    private final LoadRun run;
    private final Thread thread;
    private volatile RunStats result;
    private volatile Throwable failure;
    private volatile long windowMaxLagMs;
    private volatile String lastProgress = "";

    private IngestBenchLoad(LoadRun.Config config) {
        this.run = new LoadRun(config);
        PrintStream progress = new PrintStream(new LineSink(), true, StandardCharsets.UTF_8);
        this.thread =
                new Thread(
                        () -> {
                            try {
                                result = run.run(progress);
                            } catch (Throwable t) {
                                failure = t;
                            }
                        },
                        "bench-load");
        thread.setDaemon(true);
    }

    /**
     * Mu-law 8 kHz, two tracks, speech-like audio, every call normal (or as {@code mix} says),
     * unsigned and without callbacks: what a Plivo account streaming calls sends.
     *
     * @param calls concurrent streams
     * @param duration how long the load lasts (ended calls are replaced meanwhile)
     * @param rampUp over which the streams start
     * @param callLength each call's length
     * @param realTime real-time pacing (20 ms per message per track), or as fast as the sockets
     *     take it
     */
    static IngestBenchLoad start(
            URI url,
            int calls,
            Duration duration,
            Duration rampUp,
            Duration callLength,
            String mix,
            boolean realTime) {
        LoadRun.Config config =
                new LoadRun.Config(
                        url,
                        url.resolve("/tap"),
                        null,
                        null,
                        null,
                        calls,
                        duration,
                        rampUp,
                        callLength,
                        ScenarioMix.parse(mix),
                        StreamFormat.MULAW_8K,
                        LoadRun.Tracks.BOTH,
                        realTime,
                        LoadRun.AudioSource.synthetic(Conversations.Voice.SPEECH, 1),
                        "callpulseSim=1",
                        1);
        IngestBenchLoad load = new IngestBenchLoad(config);
        load.thread.start();
        return load;
    }

    /** Messages the simulator has sent so far. */
    long sent() {
        return run.stats().messages();
    }

    int open() {
        return run.stats().open();
    }

    /** Starts a new window for {@link #maxLagMsInWindow()}. */
    void markWindow() {
        windowMaxLagMs = 0;
    }

    long maxLagMsInWindow() {
        return windowMaxLagMs;
    }

    String lastProgress() {
        return lastProgress;
    }

    /** Waits for the run to end (its duration, then every stream closed) and returns its counts. */
    RunStats await() throws InterruptedException {
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("the simulator failed", failure);
        }
        return result;
    }

    /** Reads the progress lines as they are printed. */
    private final class LineSink extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                lastProgress = text;
                Matcher lag = LAG.matcher(text);
                if (lag.find()) {
                    long ms = Long.parseLong(lag.group(1));
                    if (ms > windowMaxLagMs) {
                        windowMaxLagMs = ms;
                    }
                }
            } else {
                line.write(b);
            }
        }
    }
}
