package io.callpulse.bench.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void subtasksOfOneOperatorAreOneKindOfThread() {
        assertThat(ThreadCpu.kind("per-stream analysis (1/2)#0"))
                .isEqualTo(ThreadCpu.kind("per-stream analysis (2/2)#0"))
                .isEqualTo("per-stream analysis (N/N)#N");
    }

    @Test
    void aBusyThreadOfThisJvmIsCounted() {
        ThreadCpu before = ThreadCpu.snapshot();
        // spins for 30 ms of this thread's own CPU time, however busy the machine is
        var threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + 30_000_000L;
        double sink = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            sink += Math.sqrt(sink + 1);
        }
        Map<String, Long> used = before.untilNow();
        assertThat(sink).isPositive();
        assertThat(used).containsKey(ThreadCpu.kind(Thread.currentThread().getName()));
        assertThat(used.get(ThreadCpu.kind(Thread.currentThread().getName())))
                .isGreaterThanOrEqualTo(30_000_000L);
    }
}
