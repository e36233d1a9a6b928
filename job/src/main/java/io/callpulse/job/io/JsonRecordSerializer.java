package io.callpulse.job.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.callpulse.records.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.Function;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a record as JSON to one topic, keyed by its StreamID so that a stream's outputs stay in
 * order in one partition.
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** Picks the StreamID of a record; {@code null} writes the record without a key. */
    @FunctionalInterface
    public interface KeyOf<T> extends Function {
        String streamId(T record);
    }

    private final String topic;
    private final KeyOf<T> keyOf;

    public JsonRecordSerializer(String topic, KeyOf<T> keyOf) {
        this.topic = topic;
        this.keyOf = keyOf;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        String streamId = keyOf.streamId(element);
        byte[] value;
        try {
            value = Json.mapper().writeValueAsBytes(element);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + element.getClass().getSimpleName() + " as JSON", e);
        }
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                streamId == null ? null : streamId.getBytes(StandardCharsets.UTF_8),
                value);
    }
}
