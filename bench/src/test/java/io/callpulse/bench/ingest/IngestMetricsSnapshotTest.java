package io.callpulse.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.callpulse.ingest.metrics.IngestMetrics;
import org.junit.jupiter.api.Test;

class IngestMetricsSnapshotTest {

    @Test
    void readsTheIngestsOwnRendering() {
        IngestMetrics metrics = new IngestMetrics();
        metrics.connectionOpened("plivo");
        metrics.connectionOpened("plivo");
        metrics.connectionClosed("plivo");
        metrics.connectionOpened("twilio");
        metrics.messageReceived("plivo", "media", 400);
        metrics.messageReceived("plivo", "media", 400);
        metrics.messageReceived("plivo", "start", 600);
        metrics.messageReceived("twilio", "media", 400);
        metrics.kafkaSendCompleted(800, false); // 0.8 ms: bucket le=1 ms
        metrics.kafkaSendCompleted(30_000, false); // 30 ms: le=50 ms
        metrics.kafkaSendCompleted(20_000_000, true); // 20 s: +Inf

        IngestMetricsSnapshot snapshot = IngestMetricsSnapshot.parse(metrics.renderPrometheus());

        assertThat(snapshot.streamMessages()).isEqualTo(3);
        assertThat(snapshot.ackedRecords()).isEqualTo(3);
        assertThat(snapshot.sendFailures()).isEqualTo(1);
        assertThat(snapshot.connectionsOpen()).isEqualTo(1);
        assertThat(snapshot.readingPaused()).isFalse();
        assertThat(snapshot.bucketBoundsMs())
                .containsExactly(
                        1,
                        2,
                        5,
                        10,
                        25,
                        50,
                        100,
                        250,
                        500,
                        1000,
                        2500,
                        5000,
                        10000,
                        Double.POSITIVE_INFINITY);
        assertThat(snapshot.bucketCumulative())
                .containsExactly(1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3);
    }

    @Test
    void aWindowIsTheDifferenceOfTwoSnapshots() {
        IngestMetrics metrics = new IngestMetrics();
        metrics.kafkaSendCompleted(800, false);
        IngestMetricsSnapshot before = IngestMetricsSnapshot.parse(metrics.renderPrometheus());
        for (int i = 0; i < 99; i++) {
            metrics.kafkaSendCompleted(3_000, false); // 3 ms: (2, 5]
        }
        metrics.kafkaSendCompleted(70_000, false); // 70 ms: (50, 100]
        IngestMetricsSnapshot after = IngestMetricsSnapshot.parse(metrics.renderPrometheus());

        IngestMetricsSnapshot.LatencyWindow window = after.since(before);

        assertThat(window.count()).isEqualTo(100);
        // rank 50 of the 99 in (2, 5]: 2 + 3 * 50 / 99
        assertThat(window.quantileMs(0.5)).isCloseTo(2 + 3 * 50.0 / 99, within(1e-9));
        // rank 99 is the last of (2, 5]
        assertThat(window.quantileMs(0.99)).isCloseTo(5.0, within(1e-9));
        // rank 99.5: half way into (50, 100]
        assertThat(window.quantileMs(0.995)).isCloseTo(75.0, within(1e-9));
        assertThat(window.fractionWithinMs(50)).isEqualTo(0.99);
        assertThat(window.format(0.99)).isEqualTo("5.0");
    }

    @Test
    void aQuantileInTheInfiniteBucketIsAtLeastTheLastBound() {
        IngestMetrics metrics = new IngestMetrics();
        IngestMetricsSnapshot before = IngestMetricsSnapshot.parse(metrics.renderPrometheus());
        metrics.kafkaSendCompleted(20_000_000, false);
        IngestMetricsSnapshot.LatencyWindow window =
                IngestMetricsSnapshot.parse(metrics.renderPrometheus()).since(before);

        assertThat(window.quantileMs(0.99)).isEqualTo(10_000);
        assertThat(window.format(0.99)).isEqualTo(">10000");
        assertThat(before.since(before).format(0.5)).isEqualTo("n/a");
    }

    @Test
    void aBoundThatIsNotABucketIsRefused() {
        IngestMetrics metrics = new IngestMetrics();
        IngestMetricsSnapshot s = IngestMetricsSnapshot.parse(metrics.renderPrometheus());
        assertThatThrownBy(() -> s.since(s).fractionWithinMs(40))
                .hasMessage("40.0 ms is not a bucket bound");
    }

    @Test
    void metricsWithoutTheMessageCounterAreRefused() {
        String withoutMessages =
                new IngestMetrics()
                        .renderPrometheus()
                        .replace("callpulse_ingest_messages_total", "renamed_total");
        assertThatThrownBy(() -> IngestMetricsSnapshot.parse(withoutMessages))
                .hasMessage("/metrics: expected callpulse_ingest_messages_total, found none");
    }

    @Test
    void metricsWithoutTheHistogramAreRefusedSayingWhatIsMissing() {
        assertThatThrownBy(
                        () ->
                                IngestMetricsSnapshot.parse(
                                        "callpulse_ingest_messages_total{route=\"plivo\","
                                                + "type=\"media\"} 5\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("callpulse_ingest_kafka_send_latency_seconds");
    }
}
