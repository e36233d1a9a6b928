package io.callpulse.job.io;

/**
 * A Kafka record as it arrived, before it is read: decoding happens in an operator, not in the
 * source, so that a record that cannot be read goes to the dead-letter output instead of failing
 * the job.
 *
 * @param topic the topic it came from
 * @param partition its partition
 * @param offset its offset
 * @param timestampMs the Kafka record timestamp (the ingest sets it to the media time)
 * @param key the key bytes, may be {@code null}
 * @param value the value bytes, may be {@code null}
 */
public record KafkaBytes(
        String topic, int partition, long offset, long timestampMs, byte[] key, byte[] value) {}
