package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunStatsTest {

    @Test
    void progressGivesRatesSinceThePreviousLine() {
        RunStats stats = new RunStats();
        stats.callOpened();
        stats.callOpened();
        for (int i = 0; i < 100; i++) {
            stats.sent(CallScript.Kind.MEDIA, 1024);
        }
        stats.tickLag(7, false);
        assertThat(stats.progress(1000))
                .isEqualTo(
                        "[    1s] open 2  opened 2  ended 0  msg/s 100  KB/s 100  errors 0"
                                + "  failures 0  lag 7 ms");
        for (int i = 0; i < 50; i++) {
            stats.sent(CallScript.Kind.MEDIA, 1024);
        }
        stats.callEnded(Scenario.NORMAL, RunStats.Outcome.COMPLETED, true);
        stats.error();
        assertThat(stats.progress(3000))
                .isEqualTo(
                        "[    3s] open 1  opened 2  ended 1  msg/s 25  KB/s 25  errors 1"
                                + "  failures 0  lag 0 ms");
    }

    @Test
    void theSummaryCountsOutcomesMessagesCloseCodesAndCallbacks() {
        RunStats stats = new RunStats();
        stats.callOpened();
        stats.callOpened();
        stats.callEnded(Scenario.NORMAL, RunStats.Outcome.COMPLETED, true);
        stats.callEnded(Scenario.DROPPED, RunStats.Outcome.DROPPED, true);
        stats.callEnded(Scenario.NORMAL, RunStats.Outcome.REFUSED, false);
        stats.refused("HTTP 401");
        stats.sent(CallScript.Kind.START, 200);
        stats.sent(CallScript.Kind.MEDIA, 300);
        stats.sent(CallScript.Kind.MEDIA, 300);
        stats.receivedMessage();
        stats.closeCode(1000);
        stats.callbackAnswered("StartStream", "200");
        stats.callbackAnswered("StopStream", "403");
        stats.tickLag(50, false);
        stats.tickLag(4, true);
        assertThat(stats.failures()).isEqualTo(2); // the refusal and the 403
        assertThat(stats.summary(2500))
                .isEqualTo(
                        "calls: 2 opened, 3 ended in 2.5 s\n"
                                + "  dropped dropped: 1\n"
                                + "  normal completed: 1\n"
                                + "  normal refused: 1\n"
                                + "messages sent: 3 (800 bytes), received: 1\n"
                                + "  media: 2\n"
                                + "  start: 1\n"
                                + "close codes from the server: 1000=1\n"
                                + "callbacks: [StartStream 200]=1 [StopStream 403]=1\n"
                                + "upgrades refused: [HTTP 401]=1\n"
                                + "errors: 0, failures: 2, max tick lag after warm-up: 4 ms\n");
        assertThat(stats.open()).isZero();
    }
}
