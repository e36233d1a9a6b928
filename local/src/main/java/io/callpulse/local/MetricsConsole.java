package io.callpulse.local;

import com.fasterxml.jackson.databind.ObjectReader;
import io.callpulse.records.Alert;
import io.callpulse.records.ConversationWindowMetrics;
import io.callpulse.records.Json;
import io.callpulse.records.TopicNames;
import io.callpulse.records.TrackWindowMetrics;
import io.callpulse.records.WindowMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints one line per stream and window as the job's metrics arrive on Kafka, and one line per
 * alert as it fires or resolves.
 */
final class MetricsConsole implements AutoCloseable {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final PrintStream out;
    private final ObjectReader reader = Json.mapper().readerFor(WindowMetrics.class);
    private final ObjectReader alertReader = Json.mapper().readerFor(Alert.class);
    private final String alertTopic;

    MetricsConsole(String bootstrapServers, TopicNames topics, PrintStream out) {
        this.alertTopic = topics.alerts();
        this.out = out;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "callpulse-console-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // the job writes metrics in Kafka transactions: only committed windows, each once
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.metrics(), topics.alerts()));
        this.thread = new Thread(this::run, "metrics-console");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    if (record.topic().equals(alertTopic)) {
                        printAlert(record.value());
                    } else {
                        print(record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void printAlert(byte[] json) {
        try {
            Alert alert = alertReader.readValue(json);
            out.printf(
                    "%s  stream %s  ALERT %s %s (%s) %s%n",
                    TIME.format(Instant.ofEpochMilli(alert.detectedAtMs())),
                    alert.streamId().substring(0, Math.min(8, alert.streamId().length())),
                    alert.type(),
                    alert.state(),
                    alert.severity(),
                    alert.details());
        } catch (IOException e) {
            out.println("unreadable alert: " + e.getMessage());
        }
    }

    private void print(byte[] json) {
        try {
            WindowMetrics m = reader.readValue(json);
            out.printf(
                    "%s  stream %s  inbound %s | outbound %s%s%n",
                    TIME.format(Instant.ofEpochMilli(m.windowStartMs())),
                    m.streamId().substring(0, Math.min(8, m.streamId().length())),
                    describe(m.inbound()),
                    describe(m.outbound()),
                    describe(m.conversation()));
        } catch (IOException e) {
            out.println("unreadable metrics record: " + e.getMessage());
        }
    }

    static String describe(TrackWindowMetrics track) {
        if (track == null) {
            return "   no audio          ";
        }
        return String.format(
                "%3d frames %7.1f dBFS talk %4d ms",
                track.frames(), track.meanLevelDbfs(), track.talkMs());
    }

    /** The window's notable conversation episodes, or nothing. */
    static String describe(ConversationWindowMetrics conversation) {
        if (conversation == null) {
            return "";
        }
        StringBuilder notes = new StringBuilder();
        if (conversation.bothSpeakingMs() > 0) {
            notes.append("  talk-over ").append(conversation.bothSpeakingMs()).append(" ms");
        }
        int interruptions =
                conversation.interruptionsByInbound() + conversation.interruptionsByOutbound();
        if (interruptions > 0) {
            notes.append("  INTERRUPTION");
        }
        if (conversation.deadAirEpisodes() > 0) {
            notes.append("  DEAD AIR ").append(conversation.longestDeadAirMs()).append(" ms");
        } else if (conversation.ongoingSilenceMs() >= 1_000) {
            notes.append("  silent ").append(conversation.ongoingSilenceMs()).append(" ms");
        }
        for (long latency : conversation.agentResponseMs()) {
            notes.append("  agent answered in ").append(latency).append(" ms");
        }
        for (long latency : conversation.callerResponseMs()) {
            notes.append("  caller answered in ").append(latency).append(" ms");
        }
        return notes.toString();
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(5_000);
    }
}
