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
    void slopeStandardErrorFromTheScatterAboutTheLine() {
        // (0,0), (1,1), (2,0): slope 0, residuals 1/3, 2/3, 1/3 about y = 1/3;
        // sum of squares 2/3, over n - 2 = 1, over Sxx = 2: sqrt(1/3)
        assertThat(
                        IngestBenchStats.slopeStandardError(
                                new double[] {0, 1, 2}, new double[] {0, 1, 0}))
                .isCloseTo(Math.sqrt(1.0 / 3), within(1e-12));
        assertThatThrownBy(
                        () ->
                                IngestBenchStats.slopeStandardError(
                                        new double[] {0, 1}, new double[] {0, 1}))
                .hasMessageContaining("three or more");
    }

    @Test
    void verdictFitsOnlyTheSamplesAfterTheSettlingTime() {
        // before the settling minute: a large warm-up value that must not count
        List<Double> minutes = List.of(0.5, 1.0, 2.0, 3.0, 4.0);
        List<Double> flat = List.of(500e6, 100e6, 100e6, 100e6, 100e6);
        assertThat(IngestMemoryBenchmark.verdict(minutes, flat, 1, 2))
                .isEqualTo(
                        "heap verdict: slope 0 ± 0 bytes/min over 3.0 min (4 samples); floor"
                                + " (each minute's lowest) 0 bytes/min, fitted growth +0.00% of"
                                + " the median 100,000,000 bytes: FLAT (flat under 2.0%)");
        // 1 MB a minute over 3 minutes on a median of 101.5 MB: 2.96 %
        List<Double> growing = List.of(0.0, 100e6, 101e6, 102e6, 103e6);
        assertThat(IngestMemoryBenchmark.verdict(minutes, growing, 1, 2))
                .isEqualTo(
                        "heap verdict: slope 1,000,000 ± 0 bytes/min over 3.0 min (4 samples);"
                                + " floor (each minute's lowest) 1,000,000 bytes/min, fitted"
                                + " growth +2.96% of the median 101,500,000 bytes: NOT FLAT"
                                + " (flat under 2.0%)");
        assertThat(IngestMemoryBenchmark.verdict(List.of(0.5, 1.5), List.of(1.0, 1.0), 1, 2))
                .isEqualTo(
                        "heap verdict: too few samples after 1.0 min (1 samples, 1"
                                + " whole minutes; three of each needed)");
    }

    @Test
    void theVerdictIsTheFloorsSoThatWhatIsInFlightAtOneSampleDoesNotDecideIt() {
        // two samples a minute: the floor is 100 MB throughout; one late sample caught 20 MB in
        // flight, which tilts the fitted line of all samples (by 1.25 x 20e6 / 4.375 per
        // minute) but not the floor
        List<Double> minutes = List.of(1.0, 1.5, 2.0, 2.5, 3.0, 3.5);
        List<Double> heaps = List.of(100e6, 100e6, 100e6, 100e6, 100e6, 120e6);
        String verdict = IngestMemoryBenchmark.verdict(minutes, heaps, 1, 2);
        assertThat(verdict)
                .startsWith("heap verdict: slope 5,714,286 ± ")
                .endsWith(
                        "floor (each minute's lowest) 0 bytes/min, fitted growth +0.00% of the"
                                + " median 100,000,000 bytes: FLAT (flat under 2.0%)");
    }
}
