package io.callpulse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.callpulse.kafka.EmbeddedKafkaBroker;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.AudioRecordCodec;
import io.callpulse.records.Track;
import io.callpulse.simulator.StreamFormat;
import io.callpulse.simulator.SyntheticAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Runs the SQL of docs/sql.md as written against a real broker, with only the broker's address
 * replaced and the read made bounded, so that the documented example stays true.
 */
class SqlDocumentationTest {

    private static final Path GUIDE = Path.of("..", "docs", "sql.md");

    /** The statements of the guide's first {@code sql} block. */
    private static List<String> documentedStatements() throws Exception {
        String guide = Files.readString(GUIDE);
        int start = guide.indexOf("```sql\n") + "```sql\n".length();
        String block = guide.substring(start, guide.indexOf("```", start));
        List<String> statements = new ArrayList<>();
        for (String statement : block.split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.trim());
            }
        }
        return statements;
    }

    @Test
    void theGuidesQueryReadsTheAudioTopicWithTheFunctions() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(List.of("callpulse.audio"), 1);
            short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1000).build();
            short[] silence = SyntheticAudio.at(8000).silence(1000).build();
            publish(
                    broker,
                    audio(Track.INBOUND, StreamFormat.L16_8K, tone),
                    audio(Track.OUTBOUND, StreamFormat.MULAW_8K, silence),
                    AudioRecord.endOfStream("stream-1", 1_700_000_001_000L, 1_700_000_001_000L));

            TableEnvironment tables =
                    TableEnvironment.create(EnvironmentSettings.inStreamingMode());
            List<String> statements = documentedStatements();
            assertThat(statements).hasSize(8);
            List<Row> rows = new ArrayList<>();
            for (String statement : statements) {
                String runnable =
                        statement
                                .replace("localhost:9092", broker.bootstrapServers())
                                .replace(
                                        "'scan.startup.mode' = 'earliest-offset',",
                                        "'scan.startup.mode' = 'earliest-offset',"
                                                + " 'scan.bounded.mode' = 'latest-offset',");
                if (runnable.startsWith("SELECT")) {
                    try (CloseableIterator<Row> result = tables.executeSql(runnable).collect()) {
                        result.forEachRemaining(rows::add);
                    }
                } else {
                    tables.executeSql(runnable);
                }
            }

            rows.sort(Comparator.comparing(row -> (String) row.getField(1)));
            assertThat(rows).hasSize(2);
            Row inbound = rows.get(0);
            assertThat(inbound.getField(0)).isEqualTo("stream-1");
            assertThat(inbound.getField(1)).isEqualTo("inbound");
            assertThat((Double) inbound.getField(2)).isCloseTo(-20.0, within(0.001));
            assertThat((Double) inbound.getField(3)).isCloseTo(-16.99, within(0.01));
            assertThat(inbound.getField(4)).isEqualTo(0.0);
            assertThat(inbound.getField(5)).isEqualTo(1.0);
            Row outbound = rows.get(1);
            assertThat(outbound.getField(1)).isEqualTo("outbound");
            assertThat(outbound.getField(2)).isEqualTo(-120.0);
            assertThat(outbound.getField(5)).isEqualTo(0.0);
        }
    }

    private static AudioRecord audio(Track track, StreamFormat format, short[] samples) {
        return AudioRecord.audio(
                "stream-1",
                track,
                format.encoding(),
                format.sampleRate(),
                1,
                1,
                1_700_000_000_000L,
                1_700_000_000_000L,
                format.encode(samples, 0, samples.length));
    }

    private static void publish(EmbeddedKafkaBroker broker, AudioRecord... records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (AudioRecord record : records) {
                producer.send(
                        new ProducerRecord<>(
                                "callpulse.audio",
                                AudioRecordCodec.encodeKey(record.streamId()),
                                AudioRecordCodec.encodeValue(record)));
            }
            producer.flush();
        }
    }
}
