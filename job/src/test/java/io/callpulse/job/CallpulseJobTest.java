package io.callpulse.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class CallpulseJobTest {

    @Test
    void theEnvironmentTakesTheCheckpointAndWatermarkIntervalsFromTheSettings() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        CallpulseJob.configure(
                env,
                JobSettings.fromArgs(
                        new String[] {
                            "--checkpoint-interval-ms", "700", "--watermark-interval-ms", "30"
                        }));

        assertThat(env.getCheckpointInterval()).isEqualTo(700);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(30);
    }
}
