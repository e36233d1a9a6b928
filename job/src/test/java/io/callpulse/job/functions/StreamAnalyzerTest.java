package io.callpulse.job.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.callpulse.job.AlertSettings;
import io.callpulse.job.AnalysisSettings;
import io.callpulse.job.TestAudio;
import io.callpulse.records.Alert;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.CallContext;
import io.callpulse.records.ChunkHealth;
import io.callpulse.records.ConversationWindowMetrics;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.StreamSummary;
import io.callpulse.records.Track;
import io.callpulse.records.TrackWindowMetrics;
import io.callpulse.records.WindowMetrics;
import io.callpulse.simulator.Conversations;
import io.callpulse.simulator.StreamFormat;
import io.callpulse.simulator.SyntheticAudio;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamAnalyzerTest {

    private static final long T0 = 1_700_000_000_000L; // a whole second
    private static final String STREAM = "stream-1";

    private KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
            harness;

    /**
     * Most tests here are about framing, chunk health, conversation and alerts, so they play pure
     * tones through the energy detector, whose decisions are exactly known: a tone is speech from
     * its first frame to 200 ms (the hangover) past its last. The default (learned) detector is
     * tested on speech-like audio further down.
     */
    private static final AnalysisSettings TONES_AS_SPEECH =
            AnalysisSettings.DEFAULTS.withVad(AnalysisSettings.Vad.ENERGY);

    @BeforeEach
    void setUp() throws Exception {
        harness = openHarness(TONES_AS_SPEECH);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, AudioRecord, StreamEvent, WindowMetrics>
            openHarness(AnalysisSettings settings) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
                opened = newHarness(settings);
        opened.open();
        return opened;
    }

    /**
     * A harness not yet opened (so that it can be given state to restore) on the hashmap state
     * backend, with Kryo disabled as in the job.
     */
    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, AudioRecord, StreamEvent, WindowMetrics>
            newHarness(AnalysisSettings settings) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
                created =
                        new KeyedTwoInputStreamOperatorTestHarness<>(
                                new KeyedCoProcessOperator<>(
                                        new StreamAnalyzer(
                                                1000,
                                                settings.voiceActivityDetector(),
                                                settings.conversationRules(),
                                                settings.reorderChunks(),
                                                AlertSettings.DEFAULTS)),
                                AudioRecord::streamId,
                                StreamEvent::streamId,
                                Types.STRING);
        created.setStateBackend(new HashMapStateBackend());
        ((SerializerConfigImpl) created.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
        return created;
    }

    /** Runs the test on the job's default settings (the learned detector) from here on. */
    private void useDefaultSettings() throws Exception {
        harness.close();
        harness = openHarness(AnalysisSettings.DEFAULTS);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void feed(List<AudioRecord> records) throws Exception {
        for (AudioRecord record : records) {
            harness.processElement1(record, record.mediaTimestampMs());
        }
    }

    /** Interleaves the two tracks' records in time order, as a stream delivers them. */
    private void feedCall(short[] inbound, short[] outbound, StreamFormat format, int chunk)
            throws Exception {
        List<AudioRecord> all = new ArrayList<>();
        all.addAll(TestAudio.chunks(STREAM, Track.INBOUND, format, inbound, chunk, T0));
        all.addAll(TestAudio.chunks(STREAM, Track.OUTBOUND, format, outbound, chunk, T0));
        all.sort(Comparator.comparingLong(AudioRecord::mediaTimestampMs));
        feed(all);
    }

    @Test
    void emitsAWindowWhenTheWatermarkPassesItsEnd() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1500).build();
        short[] silence = SyntheticAudio.at(8000).silence(1500).build();
        feedCall(tone, silence, StreamFormat.L16_8K, 160);

        harness.processBothWatermarks(new Watermark(T0 + 998));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processBothWatermarks(new Watermark(T0 + 999));
        List<WindowMetrics> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        WindowMetrics first = out.get(0);
        assertThat(first.streamId()).isEqualTo(STREAM);
        assertThat(first.windowStartMs()).isEqualTo(T0);
        assertThat(first.windowEndMs()).isEqualTo(T0 + 1000);
        assertThat(first.inbound().frames()).isEqualTo(50);
        assertThat(first.inbound().meanLevelDbfs()).isCloseTo(-20.0, within(0.001));
        assertThat(first.inbound().speechFrames()).isEqualTo(50);
        assertThat(first.inbound().speechLevelDbfs()).isCloseTo(-20.0, within(0.001));
        assertThat(first.inbound().noiseFloorDbfs()).isNull();
        assertThat(first.inbound().peakDbfs()).isCloseTo(-16.99, within(0.01));
        assertThat(first.inbound().clippingRatio()).isZero();
        // health counts what was noticed since the previous window: here all 1.5 s had arrived
        assertThat(first.inbound().health()).isEqualTo(new ChunkHealth(75, 0, 0, 0, 0, 0.0, 20));
        TrackWindowMetrics outbound = first.outbound();
        assertThat(outbound.frames()).isEqualTo(50);
        assertThat(outbound.meanLevelDbfs()).isEqualTo(-120.0);
        assertThat(outbound.speechFrames()).isZero();
        assertThat(outbound.silenceRatio()).isEqualTo(1.0);
        assertThat(outbound.speechLevelDbfs()).isNull();
        assertThat(outbound.noiseFloorDbfs()).isEqualTo(-120.0);
        assertThat(outbound.snrDb()).isNull();
        // the caller talked alone all second: no episode has ended yet
        assertThat(first.conversation())
                .isEqualTo(
                        new ConversationWindowMetrics(
                                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new long[0], new long[0]));
        // the second window is still open
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void theEndMarkerEmitsTheOpenWindowsAndClearsAllStateAndTimers() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 2500).build();
        short[] silence = SyntheticAudio.at(8000).silence(2500).build();
        feedCall(tone, silence, StreamFormat.MULAW_8K, 160);
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);

        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 2500, T0 + 2600), T0 + 2500);

        List<WindowMetrics> out = harness.extractOutputValues();
        assertThat(out)
                .extracting(WindowMetrics::windowStartMs)
                .containsExactly(T0, T0 + 1000, T0 + 2000);
        assertThat(out).extracting(m -> m.inbound().frames()).containsExactly(50, 50, 25);
        assertThat(out).extracting(m -> m.outbound().frames()).containsExactly(50, 50, 25);
        for (WindowMetrics m : out) {
            // mu-law quantisation moves a -20 dBFS tone by less than 0.1 dB
            assertThat(m.inbound().meanLevelDbfs()).isCloseTo(-20.0, within(0.1));
            assertThat(m.outbound().meanLevelDbfs()).isEqualTo(-120.0);
        }
        // no window is open; the rest waits out the grace period for late callbacks
        assertThat(harness.numEventTimeTimers()).isZero();
        harness.setProcessingTime(AlertSettings.DEFAULTS.dropGraceMs());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.getSideOutput(StreamAnalyzer.SUMMARIES)).hasSize(1);

        // nothing fires later for the ended stream
        harness.processBothWatermarks(new Watermark(T0 + 10_000));
        assertThat(harness.extractOutputValues()).hasSize(3);
    }

    @Test
    void framesAreCutAt20MsWhateverTheChunkSize() throws Exception {
        short[] tone = SyntheticAudio.at(16000).tone(1000, -20, 1000).build();
        // 7 ms chunks (112 samples at 16 kHz) never line up with 20 ms frames
        feed(TestAudio.chunks(STREAM, Track.INBOUND, StreamFormat.L16_16K, tone, 112, T0));
        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 1000, T0 + 1000), T0 + 1000);

        WindowMetrics only = harness.extractOutputValues().get(0);
        assertThat(only.inbound().frames()).isEqualTo(50);
        assertThat(only.inbound().meanLevelDbfs()).isCloseTo(-20.0, within(0.001));
        assertThat(only.outbound()).isNull();
    }

    @Test
    void theMeanLevelIsThePowerMeanOfTheFrames() throws Exception {
        short[] halfToneHalfSilence =
                SyntheticAudio.at(8000).tone(1000, -20, 500).silence(500).build();
        feed(
                TestAudio.chunks(
                        STREAM, Track.INBOUND, StreamFormat.L16_8K, halfToneHalfSilence, 160, T0));
        harness.processBothWatermarks(new Watermark(T0 + 999));
        // half the power of -20 dBFS: -20 - 3.0103
        assertThat(harness.extractOutputValues().get(0).inbound().meanLevelDbfs())
                .isCloseTo(-23.0103, within(0.001));
    }

    @Test
    void framesOfAnAlreadyEmittedWindowAreLateAndDropped() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1000).build();
        feed(TestAudio.chunks(STREAM, Track.INBOUND, StreamFormat.L16_8K, tone, 160, T0));
        harness.processBothWatermarks(new Watermark(T0 + 1500));
        assertThat(harness.extractOutputValues()).hasSize(1);

        feed(
                TestAudio.chunks(STREAM, Track.INBOUND, StreamFormat.L16_8K, tone, 160, T0 + 500)
                        .subList(0, 3));
        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 1000, T0 + 1000), T0 + 1000);
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.setProcessingTime(AlertSettings.DEFAULTS.dropGraceMs());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aGapDropsTheUnfinishedFrameBeforeIt() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1000).build();
        List<AudioRecord> chunks =
                TestAudio.chunks(STREAM, Track.INBOUND, StreamFormat.L16_8K, tone, 100, T0);
        // 80 chunks of 12.5 ms. Without chunk 11 (samples 1000-1099) the frame being built
        // (from sample 960) cannot be finished and is dropped; framing restarts with chunk 12
        // at sample 1100: 6 frames before the gap, 43 after it (the last 20 samples are no
        // whole frame)
        chunks.remove(10);
        feed(chunks);
        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 1000, T0 + 1000), T0 + 1000);
        assertThat(harness.extractOutputValues().get(0).inbound().frames()).isEqualTo(49);
    }

    @Test
    void streamsAreKeptApart() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1000).build();
        short[] quiet = SyntheticAudio.at(8000).tone(1000, -40, 1000).build();
        feed(TestAudio.chunks("a", Track.INBOUND, StreamFormat.L16_8K, tone, 160, T0));
        feed(TestAudio.chunks("b", Track.INBOUND, StreamFormat.L16_8K, quiet, 160, T0));
        harness.processElement1(AudioRecord.endOfStream("a", T0 + 1000, T0 + 1000), T0 + 1000);
        assertThat(harness.extractOutputValues())
                .extracting(WindowMetrics::streamId)
                .containsExactly("a");
        // b's window is still open; a left nothing behind
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processBothWatermarks(new Watermark(T0 + 999));
        WindowMetrics b = harness.extractOutputValues().get(1);
        assertThat(b.streamId()).isEqualTo("b");
        assertThat(b.inbound().meanLevelDbfs()).isCloseTo(-40.0, within(0.001));
    }

    /**
     * A scripted call with tone bursts as speech (each held 200 ms longer by the hangover): the
     * caller talks 0-1.5 s, the agent comes in at 1 s and talks to 2.5 s, nobody speaks for 3 s,
     * then the caller answers at 5.7 s to the end at 6 s.
     */
    @Test
    void aScriptedCallGivesExactTalkOverDeadAirTurnsAndLatency() throws Exception {
        short[] caller =
                SyntheticAudio.at(8000)
                        .tone(1000, -20, 1500)
                        .silence(4200)
                        .tone(1000, -20, 300)
                        .build();
        short[] agent =
                SyntheticAudio.at(8000).silence(1000).tone(1000, -20, 1500).silence(3500).build();
        event(start());
        // complete windows leave as soon as their audio is in: what the events said by then
        event(callback("StartStream", Map.of("From", "+4411", "To", "+4422")));
        feedCall(caller, agent, StreamFormat.MULAW_8K, 160);
        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 6000, T0 + 6100), T0 + 6000);

        List<WindowMetrics> out = harness.extractOutputValues();
        assertThat(out).hasSize(6);
        // every window carries who and what the call is, whenever the events said it
        assertThat(out)
                .extracting(WindowMetrics::call)
                .containsOnly(
                        new CallContext(
                                "call-1",
                                "+4411",
                                "+4422",
                                Map.of("agent", "42"),
                                List.of("inbound", "outbound"),
                                "audio/x-mulaw",
                                8000));
        assertThat(out)
                .extracting(m -> m.inbound().speechFrames())
                .containsExactly(50, 35, 0, 0, 0, 15);
        assertThat(out)
                .extracting(m -> m.outbound().speechFrames())
                .containsExactly(0, 50, 35, 0, 0, 0);
        assertThat(out)
                .extracting(WindowMetrics::conversation)
                .containsExactly(
                        conversation(0, 0, 0, 0, 0, 0, 0, new long[0]),
                        // 700 ms of talk-over begun by the agent: an interruption; the floor
                        // passes to the agent at 1.7 s, ending the caller's turn
                        conversation(700, 0, 1, 0, 0, 1, 0, new long[0]),
                        conversation(0, 300, 0, 0, 0, 0, 300, new long[0]),
                        conversation(0, 1000, 0, 0, 0, 0, 1300, new long[0]),
                        conversation(0, 1000, 0, 0, 0, 0, 2300, new long[0]),
                        // 2.7-5.7 s is dead air; the caller answers after 3 s; the call ends
                        conversation(0, 700, 0, 1, 3000, 1, 0, new long[] {3000}, 1));
        harness.setProcessingTime(AlertSettings.DEFAULTS.dropGraceMs());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private static ConversationWindowMetrics conversation(
            long bothSpeaking,
            long bothSilent,
            int interruptionsByAgent,
            int deadAir,
            long longestDeadAir,
            int callerTurns,
            long ongoingSilence,
            long[] callerResponses) {
        return conversation(
                bothSpeaking,
                bothSilent,
                interruptionsByAgent,
                deadAir,
                longestDeadAir,
                callerTurns,
                ongoingSilence,
                callerResponses,
                0);
    }

    private static ConversationWindowMetrics conversation(
            long bothSpeaking,
            long bothSilent,
            int interruptionsByAgent,
            int deadAir,
            long longestDeadAir,
            int callerTurns,
            long ongoingSilence,
            long[] callerResponses,
            int agentTurns) {
        return new ConversationWindowMetrics(
                bothSpeaking,
                bothSilent,
                0,
                interruptionsByAgent,
                0,
                0,
                deadAir,
                longestDeadAir,
                ongoingSilence,
                callerTurns,
                agentTurns,
                new long[0],
                callerResponses);
    }

    @Test
    void swappedLostAndRepeatedChunksAreCountedAndPutInOrder() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1000).build();
        List<AudioRecord> chunks =
                TestAudio.chunks(STREAM, Track.INBOUND, StreamFormat.L16_8K, tone, 160, T0);
        List<AudioRecord> arrival = new ArrayList<>(chunks);
        arrival.set(3, chunks.get(4)); // chunks 4 and 5 swapped
        arrival.set(4, chunks.get(3));
        arrival.remove(20); // chunk 21 lost
        arrival.add(10, chunks.get(9)); // chunk 10 twice
        feed(arrival);
        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 1000, T0 + 1000), T0 + 1000);

        TrackWindowMetrics inbound = harness.extractOutputValues().get(0).inbound();
        assertThat(inbound.frames()).isEqualTo(49);
        assertThat(inbound.health().received()).isEqualTo(50);
        assertThat(inbound.health().reordered()).isEqualTo(1);
        assertThat(inbound.health().duplicates()).isEqualTo(1);
        assertThat(inbound.health().missing()).isEqualTo(1);
        assertThat(inbound.health().late()).isZero();
    }

    @Test
    void aWindowCompleteOnEveryDeclaredTrackLeavesWithoutWaitingForTheWatermark() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1500).build();
        short[] silence = SyntheticAudio.at(8000).silence(1500).build();
        event(start()); // inbound and outbound
        feedCall(tone, silence, StreamFormat.L16_8K, 160);

        // no watermark has come: the first window is complete on both tracks, the second not
        List<WindowMetrics> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).windowStartMs()).isEqualTo(T0);
        assertThat(out.get(0).inbound().frames()).isEqualTo(50);
        assertThat(out.get(0).outbound().frames()).isEqualTo(50);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // in chunk order but back in the emitted window's media time: its frame is late
        short[] more = SyntheticAudio.at(8000).tone(1000, -20, 20).build();
        harness.processElement1(
                AudioRecord.audio(
                        STREAM,
                        Track.INBOUND,
                        StreamFormat.L16_8K.encoding(),
                        8000,
                        76,
                        1,
                        T0 + 400,
                        T0 + 1500,
                        StreamFormat.L16_8K.encode(more, 0, more.length)),
                T0 + 400);
        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 1500, T0 + 1500), T0 + 1500);
        out = harness.extractOutputValues();
        assertThat(out).extracting(WindowMetrics::windowStartMs).containsExactly(T0, T0 + 1000);
        assertThat(out.get(1).inbound().frames()).isEqualTo(25);
        assertThat(out.get(1).inbound().health().late()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aWindowWaitsForTheWatermarkWhileADeclaredTrackIsMissing() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1500).build();
        event(start()); // inbound and outbound
        feed(TestAudio.chunks(STREAM, Track.INBOUND, StreamFormat.L16_8K, tone, 160, T0));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processBothWatermarks(new Watermark(T0 + 999));
        List<WindowMetrics> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).inbound().frames()).isEqualTo(50);
        assertThat(out.get(0).outbound()).isNull();
    }

    @Test
    void joinedRecordsAreCountedByTheirChunks() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1000).build();
        // ten records of five 20 ms chunks, as the ingest's batcher writes 100 ms
        List<AudioRecord> records =
                TestAudio.joined(STREAM, Track.INBOUND, StreamFormat.L16_8K, tone, 5, T0);
        List<AudioRecord> arrival = new ArrayList<>(records);
        arrival.set(5, records.get(6)); // chunks 31-35 before 26-30
        arrival.set(6, records.get(5));
        arrival.add(5, records.get(4)); // chunks 21-25 twice
        arrival.remove(2); // chunks 11-15 lost
        feed(arrival);
        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 1000, T0 + 1000), T0 + 1000);

        TrackWindowMetrics inbound = harness.extractOutputValues().get(0).inbound();
        assertThat(inbound.frames()).isEqualTo(45);
        assertThat(inbound.meanLevelDbfs()).isCloseTo(-20.0, within(0.001));
        assertThat(inbound.health().received()).isEqualTo(50);
        assertThat(inbound.health().duplicates()).isEqualTo(5);
        assertThat(inbound.health().reordered()).isEqualTo(5);
        assertThat(inbound.health().missing()).isEqualTo(5);
        assertThat(inbound.health().late()).isZero();
    }

    // ---- lifecycle and alerts (processing time) ----

    private List<Alert> alerts() {
        return sideOutput(harness, StreamAnalyzer.ALERTS);
    }

    private static <T> List<T> sideOutput(
            KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
                    from,
            OutputTag<T> tag) {
        List<T> values = new ArrayList<>();
        var queue = from.getSideOutput(tag);
        if (queue != null) {
            for (StreamRecord<T> record : queue) {
                values.add(record.getValue());
            }
        }
        return values;
    }

    private void event(StreamEvent event) throws Exception {
        harness.processElement2(event, event.receivedAtMs());
    }

    private static StreamEvent start() {
        return StreamEvent.started(
                STREAM,
                "call-1",
                "acc",
                T0,
                List.of("inbound", "outbound"),
                "audio/x-mulaw",
                8000,
                Map.of("agent", "42"));
    }

    private static StreamEvent callback(String type, Map<String, String> attributes) {
        return new StreamEvent(
                type,
                StreamEvent.Sources.STATUS_CALLBACK,
                STREAM,
                "call-1",
                null,
                T0 + 500,
                T0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                attributes);
    }

    private void oneSecondOfAudio() throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 1000).build();
        feed(TestAudio.chunks(STREAM, Track.INBOUND, StreamFormat.MULAW_8K, tone, 160, T0));
    }

    @Test
    void aDroppedStreamCallbackRaisesStreamDroppedAtOnce() throws Exception {
        harness.setProcessingTime(10_000);
        event(start());
        event(callback("DroppedStream", Map.of("Error", "Stream timeout", "From", "+4411")));

        assertThat(alerts()).hasSize(1);
        Alert dropped = alerts().get(0);
        assertThat(dropped.id()).isEqualTo(STREAM + ":STREAM_DROPPED:" + (T0 + 500));
        assertThat(dropped.type()).isEqualTo(Alert.Types.STREAM_DROPPED);
        assertThat(dropped.state()).isEqualTo(Alert.FIRING);
        assertThat(dropped.severity()).isEqualTo(Alert.Severities.CRITICAL);
        assertThat(dropped.callId()).isEqualTo("call-1");
        assertThat(dropped.from()).isEqualTo("+4411");
        assertThat(dropped.extraHeaders()).isEqualTo(Map.of("agent", "42"));
        assertThat(dropped.beganAtMs()).isEqualTo(T0 + 500);
        assertThat(dropped.detectedAtMs()).isEqualTo(10_000);
        assertThat(dropped.details())
                .isEqualTo(Map.of("cause", "DroppedStream callback", "error", "Stream timeout"));

        // the later socket close does not raise it twice
        event(StreamEvent.closed(STREAM, "call-1", T0 + 600, 1006, "", false));
        harness.setProcessingTime(20_000);
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void anAbnormalCloseWithoutStopStreamIsADropOnceTheGraceHasPassed() throws Exception {
        harness.setProcessingTime(1_000);
        event(start());
        oneSecondOfAudio();
        harness.setProcessingTime(2_000);
        event(StreamEvent.closed(STREAM, "call-1", T0 + 1000, 1006, "", false));

        harness.setProcessingTime(6_999);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(7_000);

        assertThat(alerts()).hasSize(1);
        Alert dropped = alerts().get(0);
        assertThat(dropped.type()).isEqualTo(Alert.Types.STREAM_DROPPED);
        assertThat(dropped.beganAtMs()).isEqualTo(2_000);
        assertThat(dropped.details())
                .isEqualTo(Map.of("cause", "socket closed with 1006 and no StopStream"));
    }

    @Test
    void aStopStreamWithinTheGraceMeansNoDrop() throws Exception {
        harness.setProcessingTime(1_000);
        event(start());
        oneSecondOfAudio();
        event(StreamEvent.closed(STREAM, "call-1", T0 + 1000, 1006, "", false));
        harness.setProcessingTime(4_000);
        event(callback("StopStream", Map.of()));
        harness.setProcessingTime(30_000);

        assertThat(alerts()).isEmpty();
    }

    @Test
    void aStreamThatGoesQuietStallsAndResolvesWhenMediaReturns() throws Exception {
        harness.setProcessingTime(1_000);
        event(start());
        oneSecondOfAudio(); // its stall check is due at 1 s + 5 s
        harness.setProcessingTime(5_999);
        assertThat(alerts()).isEmpty();

        harness.setProcessingTime(6_000);
        assertThat(alerts()).hasSize(1);
        Alert stalled = alerts().get(0);
        assertThat(stalled.type()).isEqualTo(Alert.Types.STREAM_STALLED);
        assertThat(stalled.state()).isEqualTo(Alert.FIRING);
        assertThat(stalled.beganAtMs()).isEqualTo(1_000);
        assertThat(stalled.details()).isEqualTo(Map.of("silentForMs", "5000"));

        harness.setProcessingTime(8_500);
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 20).build();
        feed(
                TestAudio.chunks(STREAM, Track.INBOUND, StreamFormat.MULAW_8K, tone, 160, T0 + 1000)
                        .stream()
                        .map(
                                r ->
                                        AudioRecord.audio(
                                                STREAM,
                                                r.track(),
                                                r.encoding(),
                                                r.sampleRate(),
                                                51,
                                                1,
                                                r.mediaTimestampMs(),
                                                r.receivedAtMs(),
                                                r.payload()))
                        .toList());

        assertThat(alerts()).hasSize(2);
        Alert resolved = alerts().get(1);
        assertThat(resolved.id()).isEqualTo(stalled.id());
        assertThat(resolved.state()).isEqualTo(Alert.RESOLVED);
        assertThat(resolved.details()).isEqualTo(Map.of("resumedAtMs", "8500"));
    }

    /** One 20 ms chunk of tone on the inbound track: chunk {@code n}, at T0 + 20 (n - 1). */
    private void oneChunk(long chunk) throws Exception {
        short[] tone = SyntheticAudio.at(8000).tone(1000, -20, 20).build();
        long mediaMs = T0 + 20 * (chunk - 1);
        harness.processElement1(
                AudioRecord.audio(
                        STREAM,
                        Track.INBOUND,
                        AudioEncoding.MULAW,
                        8000,
                        chunk,
                        1,
                        mediaMs,
                        mediaMs,
                        StreamFormat.MULAW_8K.encode(tone, 0, tone.length)),
                mediaMs);
    }

    @Test
    void aStreamKeepsOneStallCheckThatMovesOnWithItsMedia() throws Exception {
        harness.setProcessingTime(500);
        event(start()); // the idle timer at 600.5 s, the no-media check at 5.5 s
        for (int k = 0; k <= 8; k++) {
            harness.setProcessingTime(1_000 + 500 * k);
            oneChunk(k + 1);
        }
        // media from 1 s to 5 s: one stall check (at 1 s + 5 s), not one per second of media
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(3);

        harness.setProcessingTime(5_500);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        // due at 6 s, it finds media at 5 s and moves to 5 s + 5 s
        harness.setProcessingTime(6_000);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        harness.setProcessingTime(9_999);
        assertThat(alerts()).isEmpty();

        harness.setProcessingTime(10_000);
        assertThat(alerts()).hasSize(1);
        Alert stalled = alerts().get(0);
        assertThat(stalled.type()).isEqualTo(Alert.Types.STREAM_STALLED);
        assertThat(stalled.beganAtMs()).isEqualTo(5_000);
        assertThat(stalled.details()).isEqualTo(Map.of("silentForMs", "5000"));
        // stalled: only the idle timer, until media comes back
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(12_300);
        oneChunk(10);
        assertThat(alerts()).extracting(Alert::state).containsExactly(Alert.FIRING, Alert.RESOLVED);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        harness.setProcessingTime(17_999);
        assertThat(alerts()).hasSize(2);
        harness.setProcessingTime(18_000);
        assertThat(alerts()).hasSize(3);
        assertThat(alerts().get(2).beganAtMs()).isEqualTo(12_300);
    }

    @Test
    void aStartWithoutMediaIsNoMedia() throws Exception {
        harness.setProcessingTime(1_000);
        event(start());
        harness.setProcessingTime(5_999);
        assertThat(alerts()).isEmpty();

        harness.setProcessingTime(6_000);

        assertThat(alerts()).extracting(Alert::type).containsExactly(Alert.Types.NO_MEDIA);
        assertThat(alerts().get(0).beganAtMs()).isEqualTo(1_000);
    }

    @Test
    void anEndedStreamLeavesNoStateOrTimersOnceTheGraceHasPassed() throws Exception {
        harness.setProcessingTime(1_000);
        event(start());
        oneSecondOfAudio();
        event(StreamEvent.closed(STREAM, "call-1", T0 + 1000, 1000, "", true));
        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 1000, T0 + 1000), T0 + 1000);
        assertThat(harness.extractOutputValues()).hasSize(1);

        harness.setProcessingTime(6_000);

        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aStreamThatNeverEndsIsForgottenAfterTheIdleTimeout() throws Exception {
        harness.setProcessingTime(1_000);
        event(start());
        oneSecondOfAudio();
        harness.setProcessingTime(300_000);
        event(callback("DegradedStream", Map.of()));

        harness.setProcessingTime(899_999);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.setProcessingTime(900_000);

        // the open window was emitted on the way out
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    // ---- alerts from the windows (media time) ----

    /** Plays both tracks and closes every window with the watermark, then ends the stream. */
    private void playAndEnd(short[] caller, short[] agent) throws Exception {
        feedCall(caller, agent, StreamFormat.L16_8K, 160);
        long end = T0 + caller.length / 8;
        harness.processBothWatermarks(new Watermark(end));
        harness.processElement1(AudioRecord.endOfStream(STREAM, end, end), end);
    }

    private List<String> alertLog() {
        return alerts().stream()
                .map(a -> a.type() + " " + a.state() + " " + (a.beganAtMs() - T0))
                .toList();
    }

    @Test
    void tenSecondsOfNobodySpeakingIsDeadAirUntilSomeoneSpeaks() throws Exception {
        // the caller speaks 1 s (heard until 1.2 s with the hangover), nobody for 10.8 s
        short[] caller = SyntheticAudio.at(8000).tone(1000, -20, 1000).silence(13_000).build();
        short[] agent = SyntheticAudio.at(8000).silence(12_000).tone(1000, -20, 2000).build();

        playAndEnd(caller, agent);

        // the agent's eventual answer is also a slow one
        assertThat(alertLog())
                .containsExactly(
                        "DEAD_AIR FIRING 1200",
                        "DEAD_AIR RESOLVED 1200",
                        "SLOW_RESPONSE FIRING 1200",
                        "SLOW_RESPONSE RESOLVED 1200");
        assertThat(alerts().get(0).id()).isEqualTo(alerts().get(1).id());
        assertThat(alerts().get(2).details()).isEqualTo(Map.of("latencyMs", "10800"));
        assertThat(alerts().get(0).details()).isEqualTo(Map.of("silentForMs", "10800"));
        assertThat(alerts().get(1).details())
                .isEqualTo(Map.of("endedAtMs", Long.toString(T0 + 12_000)));
    }

    @Test
    void anAgentAnsweringAfterMoreThanThreeSecondsIsASlowResponse() throws Exception {
        // the caller stops at 1.2 s (hangover included), the agent starts at 4.4 s: 3.2 s
        short[] caller = SyntheticAudio.at(8000).tone(1000, -20, 1000).silence(5000).build();
        short[] agent =
                SyntheticAudio.at(8000).silence(4400).tone(1000, -20, 1000).silence(600).build();

        playAndEnd(caller, agent);

        assertThat(alertLog())
                .containsExactly("SLOW_RESPONSE FIRING 1200", "SLOW_RESPONSE RESOLVED 1200");
        assertThat(alerts().get(0).details()).isEqualTo(Map.of("latencyMs", "3200"));
    }

    @Test
    void anAnswerWithinThreeSecondsIsNotSlow() throws Exception {
        short[] caller = SyntheticAudio.at(8000).tone(1000, -20, 1000).silence(5000).build();
        short[] agent =
                SyntheticAudio.at(8000).silence(4200).tone(1000, -20, 1000).silence(800).build();

        playAndEnd(caller, agent);

        assertThat(alerts()).isEmpty();
    }

    @Test
    void fiveSecondsOfClippingIsClippingUntilTheSignalIsClean() throws Exception {
        // a full-scale square wave: every sample clipped
        short[] clipped = new short[6 * 8000];
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = (i / 4) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] clean = SyntheticAudio.at(8000).tone(1000, -20, 2000).build();
        short[] caller = new short[clipped.length + clean.length];
        System.arraycopy(clipped, 0, caller, 0, clipped.length);
        System.arraycopy(clean, 0, caller, clipped.length, clean.length);
        short[] agent = SyntheticAudio.at(8000).silence(8000).build();

        playAndEnd(caller, agent);

        assertThat(alertLog()).containsExactly("CLIPPING FIRING 0", "CLIPPING RESOLVED 0");
        assertThat(alerts().get(0).details()).isEqualTo(Map.of("track", "inbound"));
    }

    @Test
    void thirtySecondsOfOneSideSilentWhileTheOtherTalksIsOneWayAudio() throws Exception {
        // the agent talks in 1 s bursts with 300 ms pauses (bridged by the hangover but for
        // 100 ms: never dead air), the caller says nothing for 32.5 s
        SyntheticAudio talk = SyntheticAudio.at(8000);
        for (int burst = 0; burst < 25; burst++) {
            talk.tone(1000, -20, 1000).silence(300);
        }
        short[] agent = talk.build();
        short[] caller = SyntheticAudio.at(8000).silence(32_500).build();

        playAndEnd(caller, agent);

        // the caller never spoke: silent since the call's first frame; ended with the stream
        assertThat(alertLog())
                .containsExactly("ONE_WAY_AUDIO FIRING 0", "ONE_WAY_AUDIO RESOLVED 0");
        assertThat(alerts().get(0).details()).isEqualTo(Map.of("silentTrack", "inbound"));
        assertThat(alerts().get(1).details()).isEqualTo(Map.of("cause", "stream ended"));
    }

    @Test
    void aDegradedStreamCallbackRaisesStreamDegraded() throws Exception {
        harness.setProcessingTime(2_000);
        event(callback("DegradedStream", Map.of("Error", "buffer 90% full")));
        event(callback("DegradedStream", Map.of("Error", "buffer 90% full")));

        assertThat(alerts()).hasSize(1);
        assertThat(alerts().get(0).type()).isEqualTo(Alert.Types.STREAM_DEGRADED);
        assertThat(alerts().get(0).severity()).isEqualTo(Alert.Severities.WARNING);
        assertThat(alerts().get(0).details())
                .isEqualTo(Map.of("cause", "DegradedStream callback", "error", "buffer 90% full"));
    }

    @Test
    void theSummaryHoldsTheWholeCallOnceTheGraceHasPassed() throws Exception {
        short[] caller =
                SyntheticAudio.at(8000)
                        .tone(1000, -20, 1500)
                        .silence(4200)
                        .tone(1000, -20, 300)
                        .build();
        short[] agent =
                SyntheticAudio.at(8000).silence(1000).tone(1000, -20, 1500).silence(3500).build();
        harness.setProcessingTime(1_000);
        event(start());
        event(callback("StartStream", Map.of("From", "+4411", "To", "+4422")));
        feedCall(caller, agent, StreamFormat.MULAW_8K, 160);
        harness.processElement1(AudioRecord.endOfStream(STREAM, T0 + 6000, T0 + 6100), T0 + 6000);
        event(StreamEvent.closed(STREAM, "call-1", T0 + 6100, 1000, "", true));
        // a callback after the audio is still joined in
        event(callback("StopStream", Map.of()));
        harness.setProcessingTime(5_999);
        assertThat(harness.getSideOutput(StreamAnalyzer.SUMMARIES)).isNull();

        harness.setProcessingTime(6_000);

        List<StreamSummary> summaries = new ArrayList<>();
        harness.getSideOutput(StreamAnalyzer.SUMMARIES).forEach(r -> summaries.add(r.getValue()));
        assertThat(summaries).hasSize(1);
        StreamSummary summary = summaries.get(0);
        assertThat(summary.call().from()).isEqualTo("+4411");
        assertThat(summary.firstMediaMs()).isEqualTo(T0);
        assertThat(summary.durationMs()).isEqualTo(6000);
        assertThat(summary.endReason()).isEqualTo("StopStream");
        assertThat(summary.closeCode()).isEqualTo(1000);
        assertThat(summary.callbacks()).containsExactly("StartStream", "StopStream");
        assertThat(summary.alerts()).isEmpty();
        assertThat(summary.inbound().frames()).isEqualTo(300);
        assertThat(summary.inbound().talkMs()).isEqualTo(2000);
        assertThat(summary.inbound().silenceRatio()).isEqualTo(200 / 300.0);
        assertThat(summary.inbound().health().received()).isEqualTo(300);
        assertThat(summary.outbound().talkMs()).isEqualTo(1700);
        assertThat(summary.conversation())
                .isEqualTo(
                        new StreamSummary.ConversationSummary(
                                1700 / 3700.0,
                                700,
                                3000,
                                1,
                                3000,
                                0,
                                1,
                                0,
                                0,
                                2,
                                1,
                                1700,
                                1700,
                                null,
                                null,
                                null,
                                3000L,
                                3000L,
                                3000L));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aStreamWithoutAnEndIsSummarisedAsStalledAtTheIdleTimeout() throws Exception {
        harness.setProcessingTime(1_000);
        event(start());
        oneSecondOfAudio();

        harness.setProcessingTime(1_000 + AlertSettings.DEFAULTS.idleTimeoutMs());

        StreamSummary summary = harness.getSideOutput(StreamAnalyzer.SUMMARIES).peek().getValue();
        assertThat(summary.endReason()).isEqualTo("stalled");
        assertThat(summary.lastMediaEndMs()).isNull();
        assertThat(summary.alerts()).containsExactly(Alert.Types.STREAM_STALLED);
    }

    /**
     * The default detector on speech-like voices (a harmonic complex at a 4 Hz syllable rhythm):
     * the caller talks 0-2 s and 8-10 s, the agent cuts in at 1 s and talks to 4 s. A learned
     * detector's edges are not exact: its decisions start within 40 ms of speech and trail its end
     * by at most 260 ms (the context it was trained with), so each figure is checked against the
     * script within those bounds, and every count exactly.
     */
    @Test
    void theLearnedDetectorFindsTheTalkOverAndDeadAirOfSpeechLikeVoices() throws Exception {
        useDefaultSettings();
        short[] caller =
                SyntheticAudio.at(8000)
                        .speech(210, -22, 2000)
                        .silence(6000)
                        .speech(210, -22, 2000)
                        .build();
        short[] agent =
                SyntheticAudio.at(8000).silence(1000).speech(120, -24, 3000).silence(6000).build();
        event(start());
        playAndEnd(caller, agent);

        List<WindowMetrics> out = harness.extractOutputValues();
        assertThat(out).hasSize(10);
        // 200 frames of caller speech, 150 of agent speech; a 40 ms late start and a 260 ms tail
        // per talk spurt at most
        assertThat(out.stream().mapToInt(m -> m.inbound().speechFrames()).sum())
                .isBetween(200 - 2 * 2, 200 + 2 * 13);
        assertThat(out.stream().mapToInt(m -> m.outbound().speechFrames()).sum())
                .isBetween(150 - 2, 150 + 13);
        List<ConversationWindowMetrics> conversation =
                out.stream().map(WindowMetrics::conversation).toList();
        // 1 s of talk-over begun by the agent: one interruption, none by the caller
        assertThat(conversation.stream().mapToLong(ConversationWindowMetrics::bothSpeakingMs).sum())
                .isBetween(1000L - 40, 1000L + 260);
        assertThat(
                        conversation.stream()
                                .mapToInt(ConversationWindowMetrics::interruptionsByOutbound)
                                .sum())
                .isEqualTo(1);
        assertThat(
                        conversation.stream()
                                .mapToInt(ConversationWindowMetrics::interruptionsByInbound)
                                .sum())
                .isZero();
        // 4 s of nobody (4-8 s): one dead-air episode, and the caller's answer after it
        assertThat(conversation.stream().mapToInt(ConversationWindowMetrics::deadAirEpisodes).sum())
                .isEqualTo(1);
        assertThat(
                        conversation.stream()
                                .mapToLong(ConversationWindowMetrics::longestDeadAirMs)
                                .max()
                                .getAsLong())
                .isBetween(4000L - 260, 4000L + 40);
        assertThat(conversation.stream().flatMapToLong(c -> LongStream.of(c.callerResponseMs())))
                .singleElement()
                .satisfies(ms -> assertThat(ms).isBetween(4000L - 260, 4000L + 40));
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(AlertSettings.DEFAULTS.dropGraceMs());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    // ---- checkpoints ----

    /**
     * Plays records as they arrive: processing time follows media time, a watermark each 200 ms.
     */
    private static void play(
            KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
                    into,
            List<AudioRecord> records)
            throws Exception {
        for (AudioRecord record : records) {
            long mediaMs = record.mediaTimestampMs();
            into.setProcessingTime(1_000 + mediaMs - T0);
            into.processElement1(record, mediaMs);
            if ((mediaMs - T0) % 200 == 0 && record.track() == Track.OUTBOUND) {
                into.processBothWatermarks(new Watermark(mediaMs - 200));
            }
        }
    }

    /** Ends the stream after {@code endMs} of media and waits out the grace period. */
    private static void end(
            KeyedTwoInputStreamOperatorTestHarness<String, AudioRecord, StreamEvent, WindowMetrics>
                    into,
            long endMs)
            throws Exception {
        into.setProcessingTime(1_000 + endMs);
        into.processElement2(
                StreamEvent.closed(STREAM, "call-1", T0 + endMs, 1000, "", true), T0 + endMs);
        into.processElement1(AudioRecord.endOfStream(STREAM, T0 + endMs, T0 + endMs), T0 + endMs);
        into.setProcessingTime(1_000 + endMs + AlertSettings.DEFAULTS.dropGraceMs());
    }

    /**
     * A checkpoint in the middle of a call (mid-window, mid-frame: 12.5 ms chunks leave half a
     * frame waiting, with latencies in the histograms and a stall check pending) restored into a
     * new operator gives exactly the windows, alerts and summary of a run that never stopped.
     */
    @Test
    void aRestoredAnalyzerCarriesOnExactlyAsIfItNeverStopped() throws Exception {
        Conversations.Conversation call =
                Conversations.generate(8000, 24_000, Conversations.Voice.SPEECH, 7);
        List<AudioRecord> records = new ArrayList<>();
        records.addAll(
                TestAudio.chunks(
                        STREAM, Track.INBOUND, StreamFormat.MULAW_8K, call.caller(), 100, T0));
        records.addAll(
                TestAudio.chunks(
                        STREAM, Track.OUTBOUND, StreamFormat.MULAW_8K, call.agent(), 100, T0));
        records.sort(Comparator.comparingLong(AudioRecord::mediaTimestampMs));
        // after 132,200 samples of each track: 40 wait for the rest of their frame
        long checkpointAtMs = 16_520;
        List<AudioRecord> before =
                records.stream().filter(r -> r.mediaTimestampMs() < T0 + checkpointAtMs).toList();
        List<AudioRecord> after =
                records.stream().filter(r -> r.mediaTimestampMs() >= T0 + checkpointAtMs).toList();

        useDefaultSettings();
        harness.setProcessingTime(1_000);
        event(start());
        play(harness, records);
        end(harness, 24_000);

        var first = openHarness(AnalysisSettings.DEFAULTS);
        first.setProcessingTime(1_000);
        first.processElement2(start(), T0);
        play(first, before);
        OperatorSubtaskState checkpoint = first.snapshot(1L, T0 + checkpointAtMs);
        List<WindowMetrics> windows = new ArrayList<>(first.extractOutputValues());
        List<Alert> alertsBefore = sideOutput(first, StreamAnalyzer.ALERTS);
        first.close();
        var restored = newHarness(AnalysisSettings.DEFAULTS);
        restored.setProcessingTime(1_000 + checkpointAtMs);
        restored.initializeState(checkpoint);
        restored.open();
        play(restored, after);
        end(restored, 24_000);
        windows.addAll(restored.extractOutputValues());
        List<Alert> alerts = new ArrayList<>(alertsBefore);
        alerts.addAll(sideOutput(restored, StreamAnalyzer.ALERTS));

        List<WindowMetrics> expected = harness.extractOutputValues();
        assertThat(expected).hasSize(24);
        assertThat(windows).isEqualTo(expected);
        // window alerts are stamped with the wall clock when detected
        assertThat(alerts)
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("detectedAtMs")
                .isEqualTo(alerts());
        assertThat(alerts).extracting(Alert::type).contains(Alert.Types.SLOW_RESPONSE);
        List<StreamSummary> summary = sideOutput(harness, StreamAnalyzer.SUMMARIES);
        assertThat(summary).hasSize(1);
        // the call had turns on both sides, so both latency histograms were in the checkpoint
        assertThat(summary.get(0).conversation().agentResponseP50Ms()).isNotNull();
        assertThat(summary.get(0).conversation().callerResponseP50Ms()).isNotNull();
        assertThat(sideOutput(restored, StreamAnalyzer.SUMMARIES)).isEqualTo(summary);
        assertThat(restored.numKeyedStateEntries()).isZero();
        assertThat(restored.numProcessingTimeTimers()).isZero();
        assertThat(restored.numEventTimeTimers()).isZero();
        restored.close();
    }

    @Test
    void aRestoredStallCheckFiresWhenTheUninterruptedOneWould() throws Exception {
        harness.setProcessingTime(500);
        event(start());
        for (int k = 0; k <= 4; k++) {
            harness.setProcessingTime(1_000 + 500 * k);
            oneChunk(k + 1);
        }
        // the check set at 1 s is due at 6 s; media went on to 3 s
        OperatorSubtaskState checkpoint = harness.snapshot(1L, 3_000);
        harness.close();
        harness = newHarness(TONES_AS_SPEECH);
        harness.setProcessingTime(3_000);
        harness.initializeState(checkpoint);
        harness.open();
        // idle timer, no-media check, stall check
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(3);

        harness.setProcessingTime(7_999);
        assertThat(alerts()).isEmpty();
        harness.setProcessingTime(8_000);
        assertThat(alerts()).hasSize(1);
        assertThat(alerts().get(0).type()).isEqualTo(Alert.Types.STREAM_STALLED);
        assertThat(alerts().get(0).beganAtMs()).isEqualTo(3_000);
        assertThat(alerts().get(0).details()).isEqualTo(Map.of("silentForMs", "5000"));
    }
}
