package io.callpulse.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.job.io.KafkaBytes;
import io.callpulse.job.state.StateSerde;
import io.callpulse.job.state.StreamLifecycle;
import io.callpulse.job.state.TrackAnalysis;
import io.callpulse.job.state.TrackFramer;
import io.callpulse.job.state.TrackSequence;
import io.callpulse.job.state.WindowAccumulator;
import io.callpulse.records.Alert;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.CallContext;
import io.callpulse.records.ChunkHealth;
import io.callpulse.records.ConversationWindowMetrics;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.StreamSummary;
import io.callpulse.records.Track;
import io.callpulse.records.TrackWindowMetrics;
import io.callpulse.records.WindowMetrics;
import io.callpulse.udf.codec.AudioEncoding;
import io.callpulse.udf.conversation.ConversationListener;
import io.callpulse.udf.conversation.ConversationRules;
import io.callpulse.udf.conversation.ConversationTracker;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** Every type that flows between operators or sits in state is serialised by Flink without Kryo. */
class RecordTypesTest {

    @Test
    void noTypeFallsBackToKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AudioRecord.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(KafkaBytes.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowMetrics.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TrackWindowMetrics.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ChunkHealth.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(CallContext.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(StreamEvent.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(Alert.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(StreamSummary.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(StreamSummary.TrackSummary.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(StreamSummary.ConversationSummary.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(StreamLifecycle.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ConversationWindowMetrics.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TrackAnalysis.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TrackSequence.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ConversationTracker.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeadLetter.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TrackFramer.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(WindowAccumulator.class);
    }

    private static <T> T flinkRoundTrip(T value, Class<T> type) throws Exception {
        return StateSerde.roundTrip(value, type);
    }

    @Test
    void recordsRoundTripThroughFlinksSerializers() throws Exception {
        AudioRecord audio =
                AudioRecord.audio(
                        "s",
                        Track.OUTBOUND,
                        AudioEncoding.L16,
                        16000,
                        3,
                        1,
                        5,
                        6,
                        new byte[] {1, 2});
        assertThat(flinkRoundTrip(audio, AudioRecord.class)).isEqualTo(audio);
        AudioRecord marker = AudioRecord.endOfStream("s", 10, 11);
        assertThat(flinkRoundTrip(marker, AudioRecord.class)).isEqualTo(marker);
        WindowMetrics metrics =
                new WindowMetrics(
                        "s",
                        0,
                        1000,
                        new CallContext(
                                "c1",
                                "+4411",
                                null,
                                Map.of("a", "1"),
                                List.of("inbound", "outbound"),
                                "audio/x-mulaw",
                                8000),
                        new TrackWindowMetrics(
                                50,
                                -20.0,
                                40,
                                800,
                                0.2,
                                -19.5,
                                -60.0,
                                40.5,
                                -17.0,
                                0.001,
                                new ChunkHealth(50, 1, 2, 3, 4, 1.5, 40)),
                        null,
                        new ConversationWindowMetrics(
                                100,
                                200,
                                1,
                                2,
                                3,
                                4,
                                1,
                                3000,
                                500,
                                1,
                                2,
                                new long[] {300},
                                new long[0]));
        assertThat(flinkRoundTrip(metrics, WindowMetrics.class)).isEqualTo(metrics);
        DeadLetter letter = new DeadLetter("job", "r", null, 1, "x");
        assertThat(flinkRoundTrip(letter, DeadLetter.class)).isEqualTo(letter);

        WindowAccumulator window = new WindowAccumulator(50);
        window.addFrame(Track.OUTBOUND, 3, true, 0.25, 20_000, 2, 160);
        WindowAccumulator windowBack = flinkRoundTrip(window, WindowAccumulator.class);
        assertThat(windowBack.frames).containsExactly(0, 1);
        assertThat(windowBack.powerSum).containsExactly(0.0, 0.25);
        assertThat(windowBack.outboundSlots[3]).isEqualTo(WindowAccumulator.SPEECH);
        assertThat(windowBack.outboundLevelsDbfs[3]).isEqualTo(window.outboundLevelsDbfs[3]);
        assertThat(windowBack.clippedSamples).containsExactly(0L, 2L);

        TrackAnalysis track = new TrackAnalysis();
        track.vadState = new float[] {-50f, 1f, 3f};
        track.sequence.accept(
                AudioRecord.audio(
                        "s", Track.INBOUND, AudioEncoding.MULAW, 8000, 3, 1, 0, 0, new byte[160]),
                5,
                released -> {});
        TrackAnalysis trackBack = flinkRoundTrip(track, TrackAnalysis.class);
        assertThat(trackBack.vadState).containsExactly(-50f, 1f, 3f);
        assertThat(trackBack.sequence.held).hasSize(1);
        assertThat(trackBack.sequence.held[0].firstChunk()).isEqualTo(3);

        StreamLifecycle life = new StreamLifecycle();
        life.callId = "c1";
        life.extraHeaders = Map.of("agent", "42");
        life.tracks = List.of("inbound");
        life.stalledSinceMs = 7;
        StreamLifecycle lifeBack = flinkRoundTrip(life, StreamLifecycle.class);
        assertThat(lifeBack.callContext()).isEqualTo(life.callContext());
        assertThat(lifeBack.stalledSinceMs).isEqualTo(7);

        StreamEvent event =
                StreamEvent.started(
                        "s",
                        "c",
                        "a",
                        5,
                        List.of("inbound"),
                        "audio/x-mulaw",
                        8000,
                        Map.of("k", "v"));
        assertThat(flinkRoundTrip(event, StreamEvent.class)).isEqualTo(event);
        Alert alert =
                new Alert(
                        "s:T:1",
                        "T",
                        "critical",
                        "FIRING",
                        "s",
                        "c",
                        null,
                        null,
                        Map.of(),
                        1,
                        2,
                        Map.of("cause", "x"));
        assertThat(flinkRoundTrip(alert, Alert.class)).isEqualTo(alert);

        StreamSummary summary =
                new StreamSummary(
                        "s",
                        null,
                        1L,
                        6001L,
                        6000,
                        "StopStream",
                        null,
                        1000,
                        List.of("StartStream"),
                        List.of(),
                        new StreamSummary.TrackSummary(
                                300,
                                100,
                                2000,
                                0.66,
                                -20.0,
                                null,
                                null,
                                -17.0,
                                0.0,
                                new ChunkHealth(300, 0, 0, 0, 0, 0.5, 21)),
                        null,
                        new StreamSummary.ConversationSummary(
                                0.5, 700, 3000, 1, 3000, 0, 1, 0, 0, 2, 1, 1700, 1700, null, null,
                                null, 3000L, 3000L, 3000L));
        assertThat(flinkRoundTrip(summary, StreamSummary.class)).isEqualTo(summary);

        ConversationTracker conversation = new ConversationTracker();
        conversation.advance(0, true, false, ConversationRules.DEFAULTS, ConversationListener.NONE);
        conversation.outboundResponses.add(300);
        ConversationTracker conversationBack =
                flinkRoundTrip(conversation, ConversationTracker.class);
        assertThat(conversationBack.inboundSpeaking).isTrue();
        assertThat(conversationBack.outboundResponses.maxMs).isEqualTo(300);
        assertThat(conversationBack.outboundResponses.percentile(50)).isEqualTo(300);
        // bucket 15 (300-319 ms), once
        assertThat(conversationBack.outboundResponses.buckets).containsExactly(15, 1);
        assertThat(conversationBack.inboundResponses.buckets).isNull();
    }
}
