package io.callpulse.bench.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callpulse.records.Alert;
import io.callpulse.simulator.StreamFormat;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndToEndLatencyBenchmarkTest {

    @Test
    void percentilesAreExactToTheMillisecond() {
        MillisHistogram histogram = new MillisHistogram(1000);
        for (int ms = 1; ms <= 100; ms++) {
            histogram.add(ms, 1);
        }
        histogram.add(5000, 1); // beyond the range: counted at its top, its max kept

        assertThat(histogram.count()).isEqualTo(101);
        assertThat(histogram.percentile(0.50)).isEqualTo(51);
        assertThat(histogram.percentile(0.99)).isEqualTo(100);
        assertThat(histogram.percentile(1.0)).isEqualTo(1000);
        assertThat(histogram.max()).isEqualTo(5000);
    }

    @Test
    void everyFrameOfAWindowIsTimedFromItsOwnMediaTime() {
        EndToEndLatencyBenchmark.Observed observed = new EndToEndLatencyBenchmark.Observed();
        observed.measureFromMs = 10_000;
        observed.measureUntilMs = 20_000;

        // a window [10 s, 11 s) seen at 11.5 s: its frames at 10.00, 10.02, ... 10.98 s
        observed.window(10_000, 11_000, 11_500);
        // one starting before the measured time is left out
        observed.window(9_000, 10_000, 10_400);

        assertThat(observed.windowEndToWindow.count()).isEqualTo(1);
        assertThat(observed.windowEndToWindow.max()).isEqualTo(500);
        assertThat(observed.frameToWindow.count()).isEqualTo(50);
        assertThat(observed.frameToWindow.max()).isEqualTo(1500);
        assertThat(observed.frameToWindow.percentile(0.0)).isEqualTo(520);
        assertThat(observed.windowsOutside).isEqualTo(1);
    }

    @Test
    void aDropIsTimedFromItsCallbackToItsFirstAlert() {
        EndToEndLatencyBenchmark.Observed observed = new EndToEndLatencyBenchmark.Observed();
        observed.droppedSentAt.put("s1", 1_000L);

        observed.alert("s1", Alert.Types.STREAM_DROPPED, Alert.FIRING, 1_080);
        observed.alert("s1", Alert.Types.STREAM_DROPPED, Alert.FIRING, 1_900); // a duplicate
        observed.alert("s1", Alert.Types.NO_MEDIA, Alert.FIRING, 1_100);
        observed.alert("s2", Alert.Types.STREAM_DROPPED, Alert.FIRING, 1_100); // no callback yet

        assertThat(observed.droppedToAlert.count()).isEqualTo(1);
        assertThat(observed.droppedToAlert.max()).isEqualTo(80);
        assertThat(observed.alertsUnmatched).isEqualTo(1);
    }

    @Test
    void optionsHaveDefaultsAndNameWhatWasExpected() {
        EndToEndLatencyBenchmark.Options defaults =
                EndToEndLatencyBenchmark.Options.parse(new String[0]);
        assertThat(defaults.calls()).isEqualTo(1000);
        assertThat(defaults.format()).isEqualTo(StreamFormat.MULAW_8K);

        EndToEndLatencyBenchmark.Options options =
                EndToEndLatencyBenchmark.Options.parse(
                        new String[] {
                            "--calls",
                            "300",
                            "--measure",
                            "40",
                            "--format",
                            "l16-16k",
                            "--",
                            "--checkpoint-interval-ms",
                            "1000"
                        });
        assertThat(options.calls()).isEqualTo(300);
        assertThat(options.measure()).isEqualTo(Duration.ofSeconds(40));
        assertThat(options.format()).isEqualTo(StreamFormat.L16_16K);
        assertThat(options.jobArguments()).isEqualTo(List.of("--checkpoint-interval-ms", "1000"));

        assertThatThrownBy(
                        () -> EndToEndLatencyBenchmark.Options.parse(new String[] {"--calls", "0"}))
                .hasMessage("--calls: expected a positive number, found 0");
        assertThatThrownBy(
                        () ->
                                EndToEndLatencyBenchmark.Options.parse(
                                        new String[] {"--dropped", "120"}))
                .hasMessage("--dropped: expected a percentage from 0 to 100, found '120'");
        assertThatThrownBy(
                        () ->
                                EndToEndLatencyBenchmark.Options.parse(
                                        new String[] {"--format", "opus"}))
                .hasMessage("--format: expected mulaw-8k, l16-8k or l16-16k, found 'opus'");
    }
}
