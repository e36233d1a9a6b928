package io.callpulse.udf.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scripted calls: each character of a script is one 20 ms slot, {@code X} speech and {@code .}
 * silence; the call starts at {@link #T0}.
 */
class ConversationTrackerTest {

    private static final long T0 = 1_700_000_000_000L;

    private final ConversationTracker tracker = new ConversationTracker();
    private final List<String> episodes = new ArrayList<>();
    private final ConversationListener recorder =
            new ConversationListener() {
                @Override
                public void deadAir(long startMs, long endMs) {
                    episodes.add("deadAir " + (startMs - T0) + ".." + (endMs - T0));
                }

                @Override
                public void talkOver(
                        Party startedSecond, long startMs, long endMs, boolean interruption) {
                    episodes.add(
                            (interruption ? "interruption " : "overlap ")
                                    + startedSecond
                                    + " "
                                    + (startMs - T0)
                                    + ".."
                                    + (endMs - T0));
                }

                @Override
                public void turn(Party party, long startMs, long endMs) {
                    episodes.add("turn " + party + " " + (startMs - T0) + ".." + (endMs - T0));
                }

                @Override
                public void response(Party from, Party to, long latencyMs, long atMs) {
                    episodes.add("response " + from + ">" + to + " " + latencyMs);
                }
            };

    private void play(String inbound, String outbound) {
        assertThat(inbound).hasSameSizeAs(outbound);
        for (int i = 0; i < inbound.length(); i++) {
            tracker.advance(
                    T0 + 20L * i,
                    inbound.charAt(i) == 'X',
                    outbound.charAt(i) == 'X',
                    ConversationRules.DEFAULTS,
                    recorder);
        }
        tracker.finish(ConversationRules.DEFAULTS, recorder);
    }

    private static String x(int slots) {
        return "X".repeat(slots);
    }

    private static String dot(int slots) {
        return ".".repeat(slots);
    }

    @Test
    void threeSecondsOfSilenceBetweenTurnsIsDeadAirAndTheResponseLatency() {
        play(x(10) + dot(150) + dot(10), dot(10) + dot(150) + x(10));

        assertThat(episodes)
                .containsExactly(
                        "deadAir 200..3200",
                        "turn INBOUND 0..200",
                        "response INBOUND>OUTBOUND 3000",
                        "turn OUTBOUND 3200..3400");
        assertThat(tracker.deadAirEpisodes).isEqualTo(1);
        assertThat(tracker.longestDeadAirMs).isEqualTo(3000);
        assertThat(tracker.silenceMs).isEqualTo(3000);
        assertThat(tracker.inboundTalkMs).isEqualTo(200);
        assertThat(tracker.outboundTalkMs).isEqualTo(200);
        assertThat(tracker.outboundResponses.percentile(50)).isEqualTo(3000);
        assertThat(tracker.outboundResponses.maxMs).isEqualTo(3000);
    }

    @Test
    void silenceJustShortOfThreeSecondsIsNotDeadAir() {
        play(x(10) + dot(149) + dot(10), dot(10) + dot(149) + x(10));

        assertThat(tracker.deadAirEpisodes).isZero();
        assertThat(episodes).noneMatch(e -> e.startsWith("deadAir"));
        assertThat(tracker.silenceMs).isEqualTo(2980);
    }

    @Test
    void startingWhileTheOtherSpeaksForHalfASecondIsAnInterruptionByTheSecond() {
        // the caller talks 0..2000 ms; the agent comes in at 1000 ms and talks on to 3000 ms
        play(x(100) + dot(50), dot(50) + x(100));

        assertThat(episodes)
                .containsExactly(
                        "interruption OUTBOUND 1000..2000",
                        "turn INBOUND 0..2000",
                        "turn OUTBOUND 1000..3000");
        assertThat(tracker.outboundInterruptions).isEqualTo(1);
        assertThat(tracker.inboundInterruptions).isZero();
        assertThat(tracker.overlapMs).isEqualTo(1000);
        assertThat(tracker.outboundResponses.count).as("a take-over has no latency").isZero();
        assertThat(tracker.inboundTurns).isEqualTo(1);
        assertThat(tracker.outboundTurns).isEqualTo(1);
    }

    @Test
    void aShortOverlapIsBackchannelAndLeavesTheFloorWhereItWas() {
        // the agent says "mm-hm" (200 ms) while the caller talks on
        play(x(100), dot(40) + x(10) + dot(50));

        assertThat(episodes).containsExactly("overlap OUTBOUND 800..1000", "turn INBOUND 0..2000");
        assertThat(tracker.outboundBackchannels).isEqualTo(1);
        assertThat(tracker.outboundInterruptions).isZero();
        assertThat(tracker.outboundTurns).isZero();
    }

    @Test
    void anOverlapOfExactlyTheMinimumIsAnInterruption() {
        play(x(60) + dot(10), dot(35) + x(35));

        assertThat(episodes).contains("interruption OUTBOUND 700..1200");
    }

    @Test
    void bothStartingInTheSameSlotIsASimultaneousStart() {
        play(dot(5) + x(40) + dot(5), dot(5) + x(30) + dot(15));

        assertThat(tracker.simultaneousStarts).isEqualTo(1);
        assertThat(tracker.inboundInterruptions + tracker.outboundInterruptions).isZero();
        assertThat(episodes).startsWith("overlap null 100..700");
    }

    @Test
    void responseLatenciesPerDirectionWithPercentiles() {
        // caller, 500 ms gap, agent, 200 ms gap, caller, 1000 ms gap, agent, 300 ms gap, agent...
        String in = x(25) + dot(25) + dot(25) + dot(10) + x(25) + dot(50) + dot(25);
        String out = dot(25) + dot(25) + x(25) + dot(10) + dot(25) + dot(50) + x(25);
        play(in, out);

        assertThat(episodes)
                .containsSubsequence(
                        "response INBOUND>OUTBOUND 500",
                        "response OUTBOUND>INBOUND 200",
                        "response INBOUND>OUTBOUND 1000");
        assertThat(tracker.outboundResponses.count).isEqualTo(2);
        assertThat(tracker.outboundResponses.percentile(50)).isEqualTo(500);
        assertThat(tracker.outboundResponses.percentile(95)).isEqualTo(1000);
        assertThat(tracker.outboundResponses.maxMs).isEqualTo(1000);
        assertThat(tracker.inboundResponses.percentile(50)).isEqualTo(200);
        assertThat(tracker.inboundTurns).isEqualTo(2);
        assertThat(tracker.outboundTurns).isEqualTo(2);
    }

    @Test
    void aPauseWithinATurnKeepsTheTurnAndCountsInTheMonologue() {
        // the caller speaks, pauses 1 s (nobody takes the floor), speaks again: one turn
        play(x(50) + dot(50) + x(50) + dot(10), dot(160));

        assertThat(tracker.inboundTurns).isEqualTo(1);
        assertThat(tracker.inboundLongestMonologueMs).isEqualTo(3000);
        assertThat(episodes).containsExactly("turn INBOUND 0..3000");
    }

    @Test
    void silenceBeforeTheFirstWordAndAfterTheLastCounts() {
        play(dot(150) + x(5) + dot(160), dot(315));

        assertThat(episodes)
                .containsExactly(
                        "deadAir 0..3000", "deadAir 3100..6300", "turn INBOUND 3000..3100");
        assertThat(tracker.longestDeadAirMs).isEqualTo(3200);
    }

    @Test
    void currentSilenceGrowsWhileNobodySpeaks() {
        tracker.advance(T0, true, false, ConversationRules.DEFAULTS, recorder);
        assertThat(tracker.currentSilenceMs()).isZero();
        tracker.advance(T0 + 20, false, false, ConversationRules.DEFAULTS, recorder);
        tracker.advance(T0 + 40, false, false, ConversationRules.DEFAULTS, recorder);

        assertThat(tracker.currentSilenceMs()).isEqualTo(40);
    }

    @Test
    void skippedSlotsAreSilenceOnBothTracks() {
        tracker.advance(T0, true, false, ConversationRules.DEFAULTS, recorder);
        tracker.advance(T0 + 3_020, false, true, ConversationRules.DEFAULTS, recorder);
        tracker.finish(ConversationRules.DEFAULTS, recorder);

        assertThat(episodes)
                .containsExactly(
                        "deadAir 20..3020",
                        "turn INBOUND 0..20",
                        "response INBOUND>OUTBOUND 3000",
                        "turn OUTBOUND 3020..3040");
    }

    @Test
    void slotsMustComeInOrder() {
        tracker.advance(T0 + 40, true, false, ConversationRules.DEFAULTS, recorder);

        assertThatThrownBy(
                        () ->
                                tracker.advance(
                                        T0, true, false, ConversationRules.DEFAULTS, recorder))
                .hasMessage(
                        "slotStartMs: expected "
                                + (T0 + 60)
                                + " or later (slots come in order), found "
                                + T0);
    }

    @Test
    void histogramBucketsAreExactBelowTwoSecondsAndCoarserAbove() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.percentile(50)).isNull();
        histogram.add(40);
        histogram.add(2_250);
        histogram.add(12_000);

        assertThat(histogram.percentile(1)).isEqualTo(40);
        assertThat(histogram.percentile(50)).isEqualTo(2_200);
        assertThat(histogram.percentile(100)).isEqualTo(10_000);
        assertThat(histogram.maxMs).isEqualTo(12_000);
    }

    @Test
    void theHistogramKeepsOnlyItsNonEmptyBucketsAsVarints() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.buckets).isNull();
        histogram.add(40); // bucket 2
        histogram.add(45); // bucket 2
        histogram.add(2_250); // bucket 102
        for (int i = 0; i < 130; i++) {
            histogram.add(12_000); // bucket 180, the last
        }

        // (distance, count) per non-empty bucket; 130 takes two varint bytes
        assertThat(histogram.buckets).containsExactly(2, 2, 100, 1, 78, (byte) 0x82, 0x01);
        int[] counts = histogram.counts();
        assertThat(counts).hasSize(181);
        assertThat(counts[2]).isEqualTo(2);
        assertThat(counts[102]).isEqualTo(1);
        assertThat(counts[180]).isEqualTo(130);
        assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(133);
        assertThat(histogram.count).isEqualTo(133);
        assertThat(histogram.percentile(1)).isEqualTo(40);
        assertThat(histogram.percentile(2)).isEqualTo(2_200);
        assertThat(histogram.percentile(3)).isEqualTo(10_000);
    }

    @Test
    void aHistogramWithEveryBucketUsedStaysBounded() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long ms = 0; ms < 2_000; ms += 20) {
            histogram.add(ms);
        }
        for (long ms = 2_000; ms <= 10_000; ms += 100) {
            histogram.add(ms);
        }
        assertThat(histogram.counts()).containsOnly(1);
        // the first bucket is 0 away from bucket 0, every other 1 from the previous
        assertThat(histogram.buckets).hasSize(2 * 181);
        assertThat(histogram.percentile(50)).isEqualTo(1_800);
        assertThat(histogram.percentile(100)).isEqualTo(10_000);
    }

    @Test
    void aCorruptHistogramSaysWhatIsWrong() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.buckets = new byte[] {(byte) 0x80};
        histogram.count = 1;
        assertThatThrownBy(histogram::counts)
                .hasMessage("latency histogram: a varint runs past the end of its 1 bytes");
        histogram.buckets = new byte[] {(byte) 0xB5, 0x01, 1}; // bucket 181, once
        assertThatThrownBy(histogram::counts)
                .hasMessage("latency histogram: bucket 181 past the last, 180");
    }
}
