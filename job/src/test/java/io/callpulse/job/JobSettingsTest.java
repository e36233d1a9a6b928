package io.callpulse.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callpulse.udf.vad.Hangover;
import io.callpulse.udf.vad.LearnedVad;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

    @Test
    void everyArgumentHasTheDocumentedDefault() {
        JobSettings settings = JobSettings.fromArgs(new String[0]);

        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.windowMs()).isEqualTo(1000);
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.watermarkInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.topics().alerts()).isEqualTo("callpulse.alerts");
        assertThat(settings.analysis()).isEqualTo(AnalysisSettings.DEFAULTS);
        assertThat(settings.alerting()).isEqualTo(AlertSettings.DEFAULTS);
        assertThat(settings.analysis().conversationRules().deadAirMinMs()).isEqualTo(3000);
        assertThat(settings.analysis().vad()).isEqualTo(AnalysisSettings.Vad.LEARNED);
        assertThat(settings.analysis().voiceActivityDetector()).isInstanceOf(LearnedVad.class);
    }

    @Test
    void argumentsOverrideTheDefaults() {
        JobSettings settings =
                JobSettings.fromArgs(
                        new String[] {
                            "--dead-air-ms", "4000",
                            "--vad", "Energy",
                            "--vad-hangover-ms", "0",
                            "--vad-margin-db", "6.5",
                            "--clipping-ratio", "0.05",
                            "--topic-summaries", "s2",
                            "--stall-ms", "8000",
                            "--watermark-interval-ms", "20"
                        });

        assertThat(settings.analysis().deadAirMs()).isEqualTo(4000);
        assertThat(settings.analysis().vad()).isEqualTo(AnalysisSettings.Vad.ENERGY);
        assertThat(settings.analysis().voiceActivityDetector()).isInstanceOf(Hangover.class);
        assertThat(settings.analysis().vadHangoverMs()).isZero();
        assertThat(settings.analysis().vadMarginDb()).isEqualTo(6.5);
        assertThat(settings.alerting().clippingRatio()).isEqualTo(0.05);
        assertThat(settings.alerting().stallMs()).isEqualTo(8000);
        assertThat(settings.topics().summaries()).isEqualTo("s2");
        assertThat(settings.watermarkInterval()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void badArgumentsAreNamedWithWhatWasExpected() {
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {"--window-ms", "-5"}))
                .hasMessage("--window-ms: expected a positive integer, found '-5'");
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {"--clipping-ratio", "2"}))
                .hasMessage("--clipping-ratio: expected a ratio between 0 and 1, found '2'");
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {"--vad-hangover-ms", "30"}))
                .hasMessage("--vad-hangover-ms: expected 0 or a multiple of 20, found 30");
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {"--vad", "silero"}))
                .hasMessage("--vad: expected one of learned, energy, found 'silero'");
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {"--vad-margin-db", "x"}))
                .hasMessage("--vad-margin-db: expected a number, found 'x'");
        assertThatThrownBy(() -> JobSettings.fromArgs(new String[] {"--idle-timeout-ms", "4000"}))
                .hasMessage(
                        "--idle-timeout-ms: expected more than the stall, no-media and drop-grace"
                                + " times, found 4000");
    }
}
