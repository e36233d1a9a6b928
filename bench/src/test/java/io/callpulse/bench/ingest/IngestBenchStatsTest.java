package io.callpulse.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class IngestBenchStatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(IngestBenchStats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(IngestBenchStats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(IngestBenchStats.median(List.of())).isNaN();
    }

    @Test
    void slopeOfALine() {
        double[] x = {1, 2, 3, 4};
        double[] y = {12, 14, 16, 18};
        assertThat(IngestBenchStats.slope(x, y)).isCloseTo(2.0, within(1e-12));
        // least squares through (0,0), (1,1), (2,0): flat
        assertThat(IngestBenchStats.slope(new double[] {0, 1, 2}, new double[] {0, 1, 0}))
                .isCloseTo(0.0, within(1e-12));
        assertThatThrownBy(() -> IngestBenchStats.slope(new double[] {1}, new double[] {1}))
                .hasMessageContaining("two or more");
    }

    @Test
    void verdictFitsOnlyTheSamplesAfterTheFirstMinute() {
        // before one minute: a large warm-up value that must not count
        List<Double> minutes = List.of(0.5, 1.0, 2.0, 3.0, 4.0);
        List<Double> flat = List.of(500e6, 100e6, 100e6, 100e6, 100e6);
        assertThat(IngestMemoryBenchmark.verdict(minutes, flat, 2))
                .isEqualTo(
                        "heap verdict: slope 0 bytes/min over 3.0 min (4 samples), fitted growth"
                                + " +0.00% of the median 100,000,000 bytes: FLAT (flat under"
                                + " 2.0%)");
        // 1 MB a minute over 3 minutes on a median of 101.5 MB: 2.96 %
        List<Double> growing = List.of(0.0, 100e6, 101e6, 102e6, 103e6);
        assertThat(IngestMemoryBenchmark.verdict(minutes, growing, 2))
                .isEqualTo(
                        "heap verdict: slope 1,000,000 bytes/min over 3.0 min (4 samples), fitted"
                                + " growth +2.96% of the median 101,500,000 bytes: NOT FLAT (flat"
                                + " under 2.0%)");
        assertThat(IngestMemoryBenchmark.verdict(List.of(0.5, 1.5), List.of(1.0, 1.0), 2))
                .isEqualTo("heap verdict: too few samples after the first minute (1)");
    }
}
