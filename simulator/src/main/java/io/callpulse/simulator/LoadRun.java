package io.callpulse.simulator;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays many simulated Plivo streams at once. A scheduler ticks every 20 ms: it starts the calls
 * that are due (spread over the ramp-up), and pumps every open call, which sends what is due; the
 * calls are split over one pump thread per core. Sockets are {@code java.net.http} WebSockets on
 * one shared client, whose selector thread and small executor serve every connection: no thread per
 * call. Audio is encoded once per conversation variant and shared by every call that plays it.
 */
public final class LoadRun implements CallRunner.Context {

    /** Conversation variants per run: calls that share one share its encoded payloads. */
    static final int VARIANTS = 8;

    static final long TICK_MS = 20;

    /** Lag in the first seconds (class loading, JIT, handshakes) is not the steady state. */
    static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * @param streamUrl the ingest's Plivo stream route, e.g. ws://localhost:8080/stream
     * @param tapUrl the ingest's tap route, for the bot scenario
     * @param callbackUrl where status callbacks go, or {@code null} for none
     * @param authToken signs upgrades and callbacks, or {@code null} to leave them unsigned
     * @param mainAuthToken signs X-Plivo-Signature-Ma-V3, or {@code null} for authToken
     * @param calls concurrent calls
     * @param duration how long to keep {@code calls} going (ended calls are replaced), or {@code
     *     null} to play each call once
     * @param rampUp the time over which the first calls start
     * @param callLength each call's length (synthetic audio; WAV audio has its own)
     * @param mix the scenarios
     * @param format the audio format
     * @param tracks which tracks a call streams
     * @param realTime real-time pacing, or as fast as the sockets take it
     * @param audio where the audio comes from
     * @param extraHeaders the extraHeaders attribute, or {@code null}
     * @param seed varies the conversations
     */
    public record Config(
            URI streamUrl,
            URI tapUrl,
            URI callbackUrl,
            String authToken,
            String mainAuthToken,
            int calls,
            Duration duration,
            Duration rampUp,
            Duration callLength,
            ScenarioMix mix,
            StreamFormat format,
            Tracks tracks,
            boolean realTime,
            AudioSource audio,
            String extraHeaders,
            long seed) {}

    /** Which tracks a stream carries (the bot scenario is always inbound only). */
    public enum Tracks {
        INBOUND,
        OUTBOUND,
        BOTH
    }

    /** Told of every status callback as it is sent: benchmarks time what follows from it. */
    @FunctionalInterface
    public interface CallbackListener {
        void sent(String streamId, String event, long sentAtEpochMs);
    }

    /** Audio for the calls: a caller and an agent track at the stream's rate. */
    public interface AudioSource {
        /** The tracks of variant {@code variant}, samples at {@code sampleRate}. */
        short[][] tracks(int variant, int sampleRate, long callLengthMs);

        static AudioSource synthetic(Conversations.Voice voice, long seed) {
            return (variant, rate, length) -> {
                Conversations.Conversation c =
                        Conversations.generate(rate, length, voice, seed + variant);
                return new short[][] {c.caller(), c.agent()};
            };
        }

        /** Fixed tracks (from WAV files), resampled elsewhere. */
        static AudioSource fixed(short[] caller, short[] agent, int fileRate) {
            return (variant, rate, length) ->
                    new short[][] {
                        Resampler.resample(caller, fileRate, rate),
                        Resampler.resample(agent, fileRate, rate)
                    };
        }
    }

    private final Config config;
    private final RunStats stats = new RunStats();
    private final Set<CallRunner> open = ConcurrentHashMap.newKeySet();

    /**
     * The open calls split over one pump thread per core: a pump does the socket writes of its
     * calls itself (the client writes on the sending thread when the socket takes the bytes).
     */
    private final List<Set<CallRunner>> shards =
            java.util.stream.Stream.<Set<CallRunner>>generate(ConcurrentHashMap::newKeySet)
                    .limit(Math.max(1, Runtime.getRuntime().availableProcessors()))
                    .toList();

    private final EncodedTrack[][] variants = new EncodedTrack[VARIANTS][];
    private EncodedTrack silence;
    private final AtomicInteger callIndex = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private final ExecutorService clientExecutor;
    private final HttpClient client;
    private final CallbackSender callbacks;
    private final AtomicInteger callbacksPending = new AtomicInteger();
    private volatile CallbackListener callbackListener = (streamId, event, sentAtMs) -> {};
    private volatile long startNanos;
    private volatile boolean stopping;
    private int initialStarted;

    public LoadRun(Config config) {
        this.config = config;
        this.clientExecutor =
                Executors.newFixedThreadPool(
                        Math.max(2, Runtime.getRuntime().availableProcessors()),
                        daemon("simulator-io"));
        this.client =
                HttpClient.newBuilder()
                        .executor(clientExecutor)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        this.callbacks =
                config.callbackUrl() == null
                        ? null
                        : new CallbackSender(
                                client,
                                config.callbackUrl(),
                                config.authToken(),
                                config.mainAuthToken());
    }

    @Override
    public RunStats stats() {
        return stats;
    }

    @Override
    public long currentTick() {
        return (System.nanoTime() - startNanos) / TimeUnit.MILLISECONDS.toNanos(TICK_MS);
    }

    /** Sets who is told of each callback sent; call before {@link #run}. */
    public void onCallbackSent(CallbackListener listener) {
        this.callbackListener = listener;
    }

    @Override
    public void callback(CallScript.Spec spec, String serviceUrl, String event, String error) {
        if (callbacks == null) {
            return;
        }
        callbacksPending.incrementAndGet();
        callbackListener.sent(spec.streamId(), event, System.currentTimeMillis());
        callbacks
                .send(
                        CallbackSender.params(
                                event,
                                spec.callId(),
                                spec.streamId(),
                                serviceUrl,
                                spec.extraHeaders(),
                                error,
                                Instant.now()))
                .whenComplete(
                        (status, e) -> {
                            stats.callbackAnswered(event, status == null ? "error" : status);
                            callbacksPending.decrementAndGet();
                        });
    }

    @Override
    public void ended(CallRunner runner) {
        open.remove(runner);
        shards.forEach(shard -> shard.remove(runner));
        inFlight.decrementAndGet();
    }

    /**
     * Runs to the end, printing a progress line every second on {@code progress}.
     *
     * @return the counters, for the summary
     */
    public RunStats run(PrintStream progress) throws InterruptedException {
        ScheduledExecutorService ticker =
                Executors.newScheduledThreadPool(shards.size(), daemon("simulator-ticker"));
        long rampNanos = config.rampUp().toNanos();
        long deadlineNanos =
                config.duration() == null ? Long.MAX_VALUE : config.duration().toNanos();
        // a hard stop, so a server that never answers a close cannot hold the run forever
        long hardStopNanos =
                (config.duration() == null
                                ? config.callLength().toNanos() + rampNanos
                                : deadlineNanos)
                        + TimeUnit.SECONDS.toNanos(30);
        for (int v = 0; v < Math.min(VARIANTS, config.calls()); v++) {
            variant(v); // encode the audio before the clock starts
        }
        startNanos = System.nanoTime();
        long[] lastProgressSecond = {0};
        long[] runs = {0};
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(TICK_MS);
        ticker.scheduleAtFixedRate(
                () -> {
                    try {
                        long elapsed = System.nanoTime() - startNanos;
                        // how far behind its schedule this tick runs: the pumps are overloaded
                        // when this grows
                        stats.tickLag(
                                (elapsed - runs[0]++ * tickNanos) / 1_000_000,
                                elapsed > WARM_UP_NANOS);
                        tick(elapsed, rampNanos, deadlineNanos, hardStopNanos);
                        long second = elapsed / 1_000_000_000L;
                        if (second > lastProgressSecond[0]) {
                            lastProgressSecond[0] = second;
                            if (progress != null) {
                                progress.println(stats.progress(elapsed / 1_000_000));
                            }
                        }
                    } catch (RuntimeException e) {
                        stats.error();
                    }
                },
                0,
                TICK_MS,
                TimeUnit.MILLISECONDS);
        for (int shard = 1; shard < shards.size(); shard++) {
            Set<CallRunner> calls = shards.get(shard);
            ticker.scheduleAtFixedRate(
                    () -> calls.forEach(CallRunner::pump), 0, TICK_MS, TimeUnit.MILLISECONDS);
        }
        try {
            done.await();
            // let the last callbacks be answered
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (callbacksPending.get() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        } finally {
            ticker.shutdownNow();
            open.forEach(CallRunner::abandon); // only after the hard stop
            clientExecutor.shutdownNow();
        }
        return stats;
    }

    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void tick(long elapsed, long rampNanos, long deadlineNanos, long hardStopNanos) {
        if (elapsed >= hardStopNanos) {
            for (CallRunner runner : List.copyOf(open)) {
                if (runner.abandon()) {
                    stats.error();
                    stats.callEnded(runner.spec().scenario(), RunStats.Outcome.FAILED, true);
                }
                open.remove(runner);
            }
            done.countDown();
            return;
        }
        if (!stopping && elapsed >= deadlineNanos) {
            stopping = true;
            open.forEach(CallRunner::cutShort);
        }
        if (!stopping) {
            // the first calls spread over the ramp-up; later, ended calls replaced (timed runs)
            while (initialStarted < config.calls()
                    && (rampNanos == 0 || elapsed >= rampNanos * initialStarted / config.calls())) {
                initialStarted++;
                startCall();
            }
            if (config.duration() != null && initialStarted >= config.calls()) {
                while (inFlight.get() < config.calls()) {
                    startCall();
                }
            }
        }
        shards.get(0).forEach(CallRunner::pump);
        if (inFlight.get() == 0
                && (stopping || (config.duration() == null && initialStarted >= config.calls()))) {
            done.countDown();
        }
    }

    private void startCall() {
        int index = callIndex.getAndIncrement();
        Scenario scenario = config.mix().next();
        CallScript.Spec spec = spec(index, scenario);
        URI url = scenario == Scenario.BOT ? config.tapUrl() : config.streamUrl();
        CallRunner runner = new CallRunner(new CallScript(spec), url, this, config.realTime());
        inFlight.incrementAndGet();
        open.add(runner);
        shards.get(index % shards.size()).add(runner);
        runner.connect(client, config.authToken(), config.mainAuthToken());
    }

    CallScript.Spec spec(int index, Scenario scenario) {
        EncodedTrack[] tracks = variant(index % VARIANTS);
        EncodedTrack inbound = tracks[0];
        EncodedTrack outbound = tracks[1];
        if (scenario == Scenario.BOT || config.tracks() == Tracks.INBOUND) {
            outbound = null;
        } else if (config.tracks() == Tracks.OUTBOUND) {
            inbound = null;
        }
        if (scenario == Scenario.ONE_WAY) {
            // both tracks declared, the agent never heard
            inbound = tracks[0];
            outbound = silence(tracks[0].chunks());
        }
        int chunks = Math.max(tracks[0].chunks(), tracks[1].chunks());
        return new CallScript.Spec(
                scenario,
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                config.format(),
                inbound,
                outbound,
                config.extraHeaders(),
                System.currentTimeMillis(),
                chunks);
    }

    private synchronized EncodedTrack silence(int chunks) {
        if (silence == null || silence.chunks() != chunks) {
            silence = EncodedTrack.silence(config.format(), chunks);
        }
        return silence;
    }

    private synchronized EncodedTrack[] variant(int v) {
        if (variants[v] == null) {
            short[][] audio =
                    config.audio()
                            .tracks(
                                    v,
                                    config.format().sampleRate(),
                                    config.callLength().toMillis());
            variants[v] =
                    new EncodedTrack[] {
                        EncodedTrack.of(config.format(), audio[0]),
                        EncodedTrack.of(config.format(), audio[1])
                    };
        }
        return variants[v];
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
