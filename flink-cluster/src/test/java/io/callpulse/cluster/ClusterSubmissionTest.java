package io.callpulse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.IngestConfig;
import io.callpulse.ingest.IngestServer;
import io.callpulse.kafka.EmbeddedKafkaBroker;
import io.callpulse.records.Json;
import io.callpulse.records.TopicNames;
import io.callpulse.records.WindowMetrics;
import io.callpulse.simulator.PlivoCall;
import io.callpulse.simulator.PlivoStreamPlayer;
import io.callpulse.simulator.StreamFormat;
import io.callpulse.simulator.SyntheticAudio;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar as users run it: uploaded over REST to a real standalone Flink cluster (JobManager
 * and TaskManager in their own JVMs), reading a real broker, fed by the ingest; a call played
 * through it comes out as metrics.
 */
class ClusterSubmissionTest {

    private static final Path JOB_JAR =
            Path.of("..", "job", "target", "callpulse-job-0.1.0-SNAPSHOT-flink.jar");
    private static final Path CLUSTER_CLASSPATH = Path.of("target", "runtime-classpath.txt");

    @Test
    void theJobJarRunsOnAStandaloneClusterAndTurnsACallIntoMetrics(@TempDir Path dir)
            throws Exception {
        assertThat(JOB_JAR).as("the job jar (built by mvn package)").exists();
        String classpath = Files.readString(CLUSTER_CLASSPATH).trim();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(classpath, dir, 2)) {
            TopicNames topics = TopicNames.defaults();
            broker.createTopics(topics.all(), 2);
            String jobId =
                    cluster.submit(
                            JOB_JAR,
                            List.of(
                                    "--bootstrap-servers",
                                    broker.bootstrapServers(),
                                    "--group-id",
                                    "cluster-test"));
            awaitRunning(cluster, jobId);

            try (IngestServer ingest =
                    IngestServer.start(
                            IngestConfig.local(
                                    "127.0.0.1", 0, 0, broker.bootstrapServers(), topics))) {
                long t0 = (System.currentTimeMillis() / 1000 + 1) * 1000;
                String streamId = UUID.randomUUID().toString();
                PlivoCall call =
                        new PlivoCall(
                                streamId,
                                "call-" + streamId,
                                StreamFormat.MULAW_8K,
                                SyntheticAudio.at(8000).speech(150, -20, 2000).build(),
                                SyntheticAudio.at(8000).silence(2000).build(),
                                null);
                PlivoStreamPlayer.play(
                        URI.create("ws://127.0.0.1:" + ingest.streamPort() + "/stream"),
                        call,
                        t0,
                        PlivoStreamPlayer.Pacing.AS_FAST_AS_POSSIBLE);

                List<WindowMetrics> windows = readMetrics(broker, topics.metrics(), streamId, 2);
                assertThat(windows)
                        .extracting(WindowMetrics::windowStartMs)
                        .containsExactly(t0, t0 + 1000);
                // the job's default detector, the learned one (its weights load from the jar),
                // takes one frame to start on this voice, then holds it to the end
                assertThat(windows)
                        .extracting(m -> m.inbound().talkMs())
                        .containsExactly(980L, 1000L);
                assertThat(windows).extracting(m -> m.outbound().talkMs()).containsOnly(0L);
            }
            assertThat(cluster.jobState(jobId)).isEqualTo("RUNNING");
        }
    }

    private static void awaitRunning(StandaloneFlinkCluster cluster, String jobId)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String state = cluster.jobState(jobId);
        while (!state.equals("RUNNING") && System.nanoTime() < deadline) {
            assertThat(state).as(cluster.jobExceptions(jobId)).isNotIn("FAILED", "FAILING");
            Thread.sleep(250);
            state = cluster.jobState(jobId);
        }
        assertThat(state).isEqualTo("RUNNING");
    }

    private static List<WindowMetrics> readMetrics(
            EmbeddedKafkaBroker broker, String topic, String streamId, int count) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<WindowMetrics> found = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(250))) {
                    WindowMetrics metrics =
                            Json.mapper().readValue(record.value(), WindowMetrics.class);
                    if (metrics.streamId().equals(streamId)) {
                        found.add(metrics);
                    }
                }
            }
        }
        assertThat(found).as("metrics of the call within 90 s").hasSize(count);
        return found;
    }
}
