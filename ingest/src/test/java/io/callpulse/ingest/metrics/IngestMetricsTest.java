package io.callpulse.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestMetricsTest {

    private final IngestMetrics metrics = new IngestMetrics();

    @Test
    void countsConnectionsMessagesAndBytesPerRoute() {
        metrics.connectionOpened("plivo");
        metrics.connectionOpened("plivo");
        metrics.connectionOpened("twilio");
        metrics.connectionClosed("plivo");
        metrics.messageReceived("plivo", "media", 100);
        metrics.messageReceived("plivo", "start", 23);
        metrics.messageReceived("plivo", "media", 7);

        String text = metrics.renderPrometheus();

        assertThat(text)
                .contains("callpulse_ingest_connections_open{route=\"plivo\"} 1\n")
                .contains("callpulse_ingest_connections_open{route=\"twilio\"} 1\n")
                .contains("callpulse_ingest_connections_total{route=\"plivo\"} 2\n")
                .contains("callpulse_ingest_messages_total{route=\"plivo\",type=\"media\"} 2\n")
                .contains("callpulse_ingest_messages_total{route=\"plivo\",type=\"start\"} 1\n")
                .contains("callpulse_ingest_received_bytes_total{route=\"plivo\"} 130\n");
    }

    @Test
    void labelsRejectsByTheFieldAtFault() {
        metrics.rejected("media.payload: not valid base64 (bad)");
        metrics.rejected("media.payload: needs a multiple of 2 bytes, found 3");
        metrics.rejected("no field named");

        assertThat(metrics.rejectedCount("media.payload")).isEqualTo(2);
        assertThat(metrics.renderPrometheus())
                .contains("callpulse_ingest_rejects_total{reason=\"media.payload\"} 2\n")
                .contains("callpulse_ingest_rejects_total{reason=\"other\"} 1\n");
    }

    @Test
    void recordsAreCountedByTopicAndType() {
        metrics.recordAccepted("callpulse.audio", "media");
        metrics.recordAccepted("callpulse.events", "start");

        assertThat(metrics.renderPrometheus())
                .contains(
                        "callpulse_ingest_records_total{topic=\"callpulse.audio\",type=\"media\"}"
                                + " 1\n")
                .contains(
                        "callpulse_ingest_records_total{topic=\"callpulse.events\",type=\"start\"}"
                                + " 1\n");
    }

    @Test
    void aRecordTypeTheIngestDoesNotKnowIsCountedAsOther() {
        metrics.recordAccepted("callpulse.events", "someNewPlivoEvent");
        metrics.recordAccepted("callpulse.events", "yetAnotherOne");
        metrics.recordAccepted("callpulse.events", "playFailed");
        metrics.recordAccepted("callpulse.events", "DegradedStream");
        metrics.recordAccepted("callpulse.deadletter", "ingest");
        metrics.recordAccepted("callpulse.audio", "end_of_stream");

        assertThat(metrics.recordCount("callpulse.events", "other")).isEqualTo(2);
        assertThat(metrics.recordCount("callpulse.events", "playFailed")).isEqualTo(1);
        assertThat(metrics.recordCount("callpulse.events", "DegradedStream")).isEqualTo(1);
        assertThat(metrics.recordCount("callpulse.deadletter", "ingest")).isEqualTo(1);
        assertThat(metrics.recordCount("callpulse.audio", "end_of_stream")).isEqualTo(1);
        assertThat(metrics.recordCount("callpulse.events", "someNewPlivoEvent")).isZero();
    }

    @Test
    void latencyHistogramIsCumulativeWithSumAndCount() {
        metrics.kafkaSendCompleted(800, false); // 0.8 ms: first bucket
        metrics.kafkaSendCompleted(2_000, false); // exactly 2 ms: le="0.002"
        metrics.kafkaSendCompleted(30_000_000, true); // 30 s: only +Inf

        String text = metrics.renderPrometheus();

        assertThat(text)
                .contains("callpulse_ingest_kafka_send_latency_seconds_bucket{le=\"0.001\"} 1\n")
                .contains("callpulse_ingest_kafka_send_latency_seconds_bucket{le=\"0.002\"} 2\n")
                .contains("callpulse_ingest_kafka_send_latency_seconds_bucket{le=\"10.0\"} 2\n")
                .contains("callpulse_ingest_kafka_send_latency_seconds_bucket{le=\"+Inf\"} 3\n")
                .contains("callpulse_ingest_kafka_send_latency_seconds_sum 30.0028\n")
                .contains("callpulse_ingest_kafka_send_latency_seconds_count 3\n")
                .contains("callpulse_ingest_kafka_send_failures_total 1\n");
    }

    @Test
    void bufferGaugesReadTheBoundBuffer() {
        metrics.bindBuffer(() -> 5_000, () -> 10_000, () -> 1);

        assertThat(metrics.renderPrometheus())
                .contains("callpulse_ingest_buffered_bytes 5000\n")
                .contains("callpulse_ingest_buffer_limit_bytes 10000\n")
                .contains("callpulse_ingest_reading_paused 1\n");
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(IngestMetrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }
}
