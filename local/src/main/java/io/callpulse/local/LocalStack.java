package io.callpulse.local;

import io.callpulse.ingest.IngestConfig;
import io.callpulse.ingest.IngestServer;
import io.callpulse.job.CallpulseJob;
import io.callpulse.job.JobSettings;
import io.callpulse.kafka.EmbeddedKafkaBroker;
import io.callpulse.records.TopicNames;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything of callpulse in one process: a real Kafka broker, the job on a Flink MiniCluster, the
 * ingest, and optionally demo calls and a console of the metrics. The run command starts it; the
 * end-to-end tests start it too.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    /** Partitions of each topic: two, so that the job's parallel readers both have work. */
    static final int PARTITIONS = 2;

    /**
     * @param ingestPort the WebSocket port; 0 picks a free one
     * @param parallelism the job's parallelism on the MiniCluster
     * @param demoCalls whether to play demo calls
     * @param console whether to print the metrics as they arrive
     */
    public record Options(int ingestPort, int parallelism, boolean demoCalls, boolean console) {

        static Options fromArgs(String[] args) {
            ParameterTool params = ParameterTool.fromArgs(args);
            return new Options(
                    params.getInt("port", 8080),
                    params.getInt("parallelism", 2),
                    !params.has("no-demo"),
                    true);
        }
    }

    private final EmbeddedKafkaBroker broker;
    private final TopicNames topics;
    private final List<AutoCloseable> closeInOrder = new ArrayList<>();
    private IngestServer ingest;
    private JobClient job;

    private LocalStack(EmbeddedKafkaBroker broker, TopicNames topics) {
        this.broker = broker;
        this.topics = topics;
    }

    public static LocalStack start(Options options) throws Exception {
        return start(options, new String[0]);
    }

    /**
     * @param jobArguments more arguments for the job (JobSettings), e.g. {@code --vad energy}
     */
    public static LocalStack start(Options options, String... jobArguments) throws Exception {
        TopicNames topics = TopicNames.defaults();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        LocalStack stack = new LocalStack(broker, topics);
        try {
            broker.createTopics(topics.all(), PARTITIONS);
            stack.startJob(options.parallelism(), jobArguments);
            stack.ingest =
                    IngestServer.start(
                            IngestConfig.local(
                                    "127.0.0.1",
                                    options.ingestPort(),
                                    options.ingestPort() == 0 ? 0 : options.ingestPort() + 1,
                                    broker.bootstrapServers(),
                                    topics));
            if (options.console()) {
                stack.closeInOrder.add(
                        0, new MetricsConsole(broker.bootstrapServers(), topics, System.out));
            }
            if (options.demoCalls()) {
                stack.closeInOrder.add(0, new DemoCallLoop(stack.streamEndpoint()));
            }
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startJob(int parallelism, String[] jobArguments) throws Exception {
        List<String> arguments =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--group-id",
                                "callpulse-local"));
        arguments.addAll(List.of(jobArguments));
        JobSettings settings = JobSettings.fromArgs(arguments.toArray(String[]::new));
        Configuration flinkConfig = new Configuration();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, flinkConfig);
        CallpulseJob.configure(env, settings);
        job = env.executeAsync("callpulse");
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public TopicNames topics() {
        return topics;
    }

    /** Where Plivo (or the simulator) connects. */
    public URI streamEndpoint() {
        return URI.create("ws://127.0.0.1:" + ingest.streamPort() + "/stream");
    }

    /** Where Plivo's status callbacks go. */
    public URI statusCallbackEndpoint() {
        return URI.create("http://127.0.0.1:" + ingest.httpPort() + "/status");
    }

    public JobClient job() {
        return job;
    }

    /** Stops the demo calls and console, the ingest (closing its streams), the job, the broker. */
    @Override
    public void close() {
        for (AutoCloseable closeable : closeInOrder) {
            closeQuietly(closeable, closeable.getClass().getSimpleName());
        }
        if (ingest != null) {
            closeQuietly(ingest, "ingest");
        }
        if (job != null) {
            closeQuietly(() -> job.cancel().get(30, TimeUnit.SECONDS), "job");
        }
        closeQuietly(broker, "Kafka broker");
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        try {
            closeable.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("stopping the {} failed", what, e);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.fromArgs(args);
        long startNanos = System.nanoTime();
        LocalStack stack = start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("callpulse: stopping...");
                                    stack.close();
                                    System.out.println("callpulse: stopped");
                                    stopped.countDown();
                                },
                                "callpulse-shutdown"));
        System.out.printf(
                """
                callpulse local stack is up (%.1f s)
                  Plivo <Stream> endpoint  %s
                  status callbacks         %s
                  Kafka bootstrap servers  %s
                  topics                   %s (audio, binary), %s (events, JSON),
                                           %s (metrics, JSON), %s (dead letters, JSON)
                  demo calls               %s
                Metrics per stream and second follow. Ctrl-C stops everything.
                %n\
                """,
                (System.nanoTime() - startNanos) / 1e9,
                stack.streamEndpoint(),
                stack.statusCallbackEndpoint(),
                stack.bootstrapServers(),
                stack.topics().audio(),
                stack.topics().events(),
                stack.topics().metrics(),
                stack.topics().deadLetter(),
                options.demoCalls() ? "playing, one after another" : "off (--no-demo)");
        stopped.await();
    }
}
