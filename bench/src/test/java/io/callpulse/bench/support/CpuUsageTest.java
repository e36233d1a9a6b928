package io.callpulse.bench.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuUsageTest {

    @Test
    void otherProcessesAreTheMachinesBusyCoresLessThisJvms() {
        assertThat(new CpuUsage(1_000_000_000L, 1.75, 1.5, 20).otherCores()).isEqualTo(0.25);
        // the two counters are read a moment apart: never a negative share
        assertThat(new CpuUsage(1_000_000_000L, 1.5, 1.6, 20).otherCores()).isEqualTo(0.0);
    }

    @Test
    void saysWhatKeptTheCoresBusy() {
        assertThat(new CpuUsage(1_000_000_000L, 1.75, 1.5, 250))
                .hasToString("cores busy 1.75 (this JVM 1.50, others 0.25), GC 0.25 s");
    }
}
