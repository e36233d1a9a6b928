package io.callpulse.ingest.plivo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.protocol.StreamSession;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlivoStreamHandlerTest {

    private static final long NOW = 1_705_312_200_000L;
    private static final String START =
            """
            {"event":"start","sequenceNumber":1,
             "start":{"callId":"call-1","streamId":"stream-1","accountId":"MA1",
                      "tracks":["inbound","outbound"],
                      "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000}},
             "extra_headers":"userId=12345;sessionId=abc"}\
            """;

    private CollectingSink sink;
    private long clock;
    private PlivoStreamHandler handler;

    @BeforeEach
    void setUp() {
        sink = new CollectingSink();
        clock = NOW;
        handler = new PlivoStreamHandler(sink, () -> clock);
    }

    private static String media(String track, Object timestamp, Object chunk, byte[] payload) {
        return "{\"event\":\"media\",\"sequenceNumber\":2,\"streamId\":\"stream-1\",\"media\":{"
                + "\"track\":\""
                + track
                + "\",\"timestamp\":"
                + timestamp
                + ",\"chunk\":"
                + chunk
                + ",\"payload\":\""
                + Base64.getEncoder().encodeToString(payload)
                + "\"}}";
    }

    @Test
    void startBecomesAStartEventWithParsedExtraHeaders() {
        handler.onText(START);
        assertThat(sink.events)
                .containsExactly(
                        StreamEvent.started(
                                "stream-1",
                                "call-1",
                                "MA1",
                                NOW,
                                List.of("inbound", "outbound"),
                                "audio/x-mulaw",
                                8000,
                                Map.of("userId", "12345", "sessionId", "abc")));
        assertThat(sink.deadLetters).isEmpty();
    }

    private static String startWithExtraHeaders(String extraHeadersJson) {
        return START.replace("\"userId=12345;sessionId=abc\"", extraHeadersJson);
    }

    private static StreamEvent startedWith(Map<String, String> extraHeaders) {
        return StreamEvent.started(
                "stream-1",
                "call-1",
                "MA1",
                NOW,
                List.of("inbound", "outbound"),
                "audio/x-mulaw",
                8000,
                extraHeaders);
    }

    @Test
    void aMalformedExtraHeadersStartsTheStreamAndKeepsItRaw() {
        handler.onText(startWithExtraHeaders("\"a=1,oops\""));
        handler.onText(media("inbound", 0, 1, new byte[160]));

        assertThat(sink.events)
                .containsExactly(
                        startedWith(Map.of())
                                .withAttributes(Map.of(ExtraHeaders.RAW_ATTRIBUTE, "a=1,oops")));
        assertThat(sink.audio).extracting(AudioRecord::streamId).containsExactly("stream-1");
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void anExtraHeadersObjectIsReadAsTheMap() {
        handler.onText(startWithExtraHeaders("{\"userId\":\"12345\",\"retries\":2}"));

        assertThat(sink.events)
                .containsExactly(startedWith(Map.of("userId", "12345", "retries", "2")));
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void mediaBecomesAnAudioRecordWithBothTimes() {
        handler.onText(START);
        clock = NOW + 35;
        byte[] payload = new byte[160];
        handler.onText(media("outbound", "\"1705312200020\"", 2, payload));
        assertThat(sink.audio)
                .containsExactly(
                        AudioRecord.audio(
                                "stream-1",
                                Track.OUTBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                2,
                                1,
                                1_705_312_200_020L,
                                NOW + 35,
                                payload));
    }

    @Test
    void aRelativeTimestampIsAddedToTheStreamStart() {
        handler.onText(START);
        handler.onText(media("inbound", "\"40\"", "\"3\"", new byte[160]));
        assertThat(sink.audio.get(0).mediaTimestampMs()).isEqualTo(NOW + 40);
        assertThat(sink.audio.get(0).firstChunk()).isEqualTo(3);
    }

    @Test
    void mediaBeforeStartIsHeldUntilStartComes() {
        handler.onText(media("inbound", "\"20\"", 1, new byte[160]));
        assertThat(sink.audio).isEmpty();
        clock = NOW + 5;
        handler.onText(START);
        assertThat(sink.events).hasSize(1);
        assertThat(sink.audio).hasSize(1);
        // relative to the start, not to the time the media arrived
        assertThat(sink.audio.get(0).mediaTimestampMs()).isEqualTo(NOW + 5 + 20);
        assertThat(sink.audio.get(0).receivedAtMs()).isEqualTo(NOW);
    }

    @Test
    void theCloseWritesTheEndMarkerAfterTheAudioAndAClosedEvent() {
        handler.onText(START);
        handler.onText(media("inbound", NOW, 1, new byte[160]));
        handler.onText(media("inbound", NOW + 20, 2, new byte[160]));
        handler.onText("{\"event\":\"stop\",\"sequenceNumber\":9,\"streamId\":\"stream-1\"}");
        clock = NOW + 500;
        handler.onClose(1000, "bye");
        assertThat(sink.audio).hasSize(3);
        assertThat(sink.audio.get(2))
                .isEqualTo(AudioRecord.endOfStream("stream-1", NOW + 40, NOW + 500));
        assertThat(sink.events)
                .extracting(StreamEvent::type)
                .containsExactly("start", "stop", "closed");
        assertThat(sink.events.get(2))
                .isEqualTo(StreamEvent.closed("stream-1", "call-1", NOW + 500, 1000, "bye", true));
    }

    @Test
    void anAbnormalCloseWithoutStopSaysSo() {
        handler.onText(START);
        clock = NOW + 100;
        handler.onClose(1006, "");
        // no audio: the marker's media time is the stream's start
        assertThat(sink.audio).containsExactly(AudioRecord.endOfStream("stream-1", NOW, NOW + 100));
        assertThat(sink.events.get(1).closeCode()).isEqualTo(1006);
        assertThat(sink.events.get(1).stopSeen()).isFalse();
    }

    @Test
    void badInputIsDeadLetteredWithTheFieldAndTheStreamGoesOn() {
        handler.onText(START);
        handler.onText("not json");
        handler.onText("[1,2]");
        handler.onText("{\"sequenceNumber\":3}");
        handler.onText(media("sideways", NOW, 1, new byte[160]));
        handler.onText(media("inbound", "\"soon\"", 1, new byte[160]));
        handler.onText(media("inbound", NOW, "1.5", new byte[160]));
        handler.onText(
                "{\"event\":\"media\",\"media\":{\"track\":\"inbound\",\"timestamp\":1,\"chunk\":1,\"payload\":\"%%%\"}}");
        handler.onText(media("inbound", NOW, 4, new byte[160]));
        assertThat(sink.deadLetters)
                .extracting(d -> d.reason().replaceAll(" \\(.*\\)$", " (...)"))
                .containsExactly(
                        "message: not valid JSON (...)",
                        "message: expected a JSON object",
                        "event: expected a string such as start or media, found none",
                        "media.track: track 'sideways' is not known; expected inbound or outbound",
                        "media.timestamp: expected an integer or a string of digits, found"
                                + " \"soon\"",
                        "media.chunk: expected an integer or a string of digits, found 1.5",
                        "media.payload: not valid base64 (...)");
        assertThat(sink.deadLetters)
                .allSatisfy(d -> assertThat(d.streamId()).isEqualTo("stream-1"));
        assertThat(sink.deadLetters.get(0).raw()).isEqualTo("not json");
        assertThat(sink.audio).hasSize(1);
        assertThat(sink.audio.get(0).firstChunk()).isEqualTo(4);
    }

    @Test
    void anL16PayloadOfOddLengthIsRefused() {
        handler.onText(START.replace("audio/x-mulaw", "audio/x-l16").replace("8000", "16000"));
        handler.onText(media("inbound", NOW, 1, new byte[641]));
        assertThat(sink.deadLetters)
                .extracting(d -> d.reason())
                .containsExactly(
                        "media.payload: audio/x-l16 needs a multiple of 2 bytes, found 641");
    }

    @Test
    void aStartWithAnUnsupportedFormatIsRefused() {
        handler.onText(START.replace("8000", "44100"));
        assertThat(sink.deadLetters)
                .extracting(d -> d.reason())
                .containsExactly(
                        "start.mediaFormat.sampleRate: expected 8000 for audio/x-mulaw, found"
                                + " 44100");
        assertThat(handler.streamId()).isNull();
    }

    @Test
    void anUnknownEncodingIsRefusedNamingTheField() {
        handler.onText(START.replace("audio/x-mulaw", "audio/wav"));
        assertThat(sink.deadLetters)
                .extracting(d -> d.reason())
                .containsExactly(
                        "start.mediaFormat.encoding: encoding 'audio/wav' is not supported;"
                                + " expected audio/x-mulaw or audio/x-l16");
    }

    @Test
    void muLawAtSixteenKilohertzIsRefusedAndL16AtSixteenKilohertzStarts() {
        handler.onText(START.replace("8000", "16000"));
        assertThat(sink.deadLetters)
                .extracting(d -> d.reason())
                .containsExactly(
                        "start.mediaFormat.sampleRate: expected 8000 for audio/x-mulaw, found"
                                + " 16000");
        assertThat(handler.streamId()).isNull();

        handler.onText(START.replace("8000", "16000").replace("audio/x-mulaw", "audio/x-l16"));
        assertThat(sink.events).extracting(StreamEvent::sampleRate).containsExactly(16000);
    }

    @Test
    void l16AtAnUnsupportedRateNamesBothAllowedRates() {
        handler.onText(START.replace("8000", "44100").replace("audio/x-mulaw", "audio/x-l16"));
        assertThat(sink.deadLetters)
                .extracting(d -> d.reason())
                .containsExactly(
                        "start.mediaFormat.sampleRate: expected 8000 or 16000 for audio/x-l16,"
                                + " found 44100");
    }

    @Test
    void mediaHeldBeforeAStartThatNeverComesIsDeadLetteredAtClose() {
        handler.onText(media("inbound", 20, 1, new byte[160]));
        handler.onClose(1006, "");
        assertThat(sink.audio).isEmpty();
        assertThat(sink.events).isEmpty();
        assertThat(sink.deadLetters)
                .extracting(d -> d.reason())
                .containsExactly("media: the socket closed before start");
    }

    @Test
    void mediaBeforeStartIsBounded() {
        for (int i = 0; i < PlivoStreamHandler.MAX_MEDIA_BEFORE_START + 1; i++) {
            handler.onText(media("inbound", 20 * i, i + 1, new byte[160]));
        }
        assertThat(sink.deadLetters)
                .extracting(d -> d.reason())
                .containsExactly("media: more than 500 media messages before start");
    }

    @Test
    void mediaBeforeStartIsBoundedInBytes() {
        String held = media("inbound", 0, 1, new byte[30_000]);
        int fitting = StreamSession.MAX_MEDIA_BYTES_BEFORE_START / held.length();
        for (int i = 0; i < fitting + 1; i++) {
            handler.onText(held);
        }

        assertThat(sink.deadLetters)
                .extracting(DeadLetter::reason, DeadLetter::raw)
                .containsExactly(
                        tuple(
                                "media: more than 1048576 bytes of media messages before start",
                                held));
        handler.onText(START);
        assertThat(sink.audio).hasSize(fitting);
    }

    @Test
    void aMessageAfterTheCloseIsDeadLetteredAndTheStreamEndsOnce() {
        handler.onText(START);
        handler.onClose(1000, "");
        String late = media("inbound", 0, 1, new byte[160]);

        handler.onText(late);
        handler.onClose(1006, "");

        assertThat(sink.deadLetters)
                .extracting(DeadLetter::reason, DeadLetter::raw, DeadLetter::streamId)
                .containsExactly(
                        tuple(
                                "message: arrived after the socket closed; the stream has ended",
                                late,
                                "stream-1"));
        assertThat(sink.audio).containsExactly(AudioRecord.endOfStream("stream-1", NOW, NOW));
        assertThat(sink.events)
                .extracting(StreamEvent::type)
                .containsExactly(StreamEvent.Types.START, StreamEvent.Types.CLOSED);
    }

    @Test
    void sequenceNumberAndChunkAsStringsAreRead() {
        handler.onText(START);
        byte[] payload = new byte[160];
        handler.onText(
                "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamId\":\"stream-1\","
                        + "\"media\":{\"track\":\"inbound\",\"timestamp\":\"0\",\"chunk\":\"7\","
                        + "\"payload\":\""
                        + Base64.getEncoder().encodeToString(payload)
                        + "\"}}");

        assertThat(sink.deadLetters).isEmpty();
        assertThat(sink.audio)
                .containsExactly(
                        AudioRecord.audio(
                                "stream-1",
                                Track.INBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                7,
                                1,
                                NOW,
                                NOW,
                                payload));
    }

    @Test
    void aPayloadThatIsNotTwentyMillisecondsIsRecordedAsItIs() {
        handler.onText(START);
        // 7 ms of mu-law at 8 kHz
        byte[] payload = new byte[56];
        payload[0] = 9;

        handler.onText(media("inbound", 0, 1, payload));
        handler.onClose(1000, "");

        assertThat(sink.deadLetters).isEmpty();
        assertThat(sink.audio)
                .containsExactly(
                        AudioRecord.audio(
                                "stream-1",
                                Track.INBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                1,
                                1,
                                NOW,
                                NOW,
                                payload),
                        AudioRecord.endOfStream("stream-1", NOW + 7, NOW));
    }

    @Test
    void dtmfBecomesAnEventAtItsOwnTime() {
        handler.onText(START);
        handler.onText(
                "{\"event\":\"dtmf\",\"sequenceNumber\":50,\"streamId\":\"stream-1\","
                    + "\"dtmf\":{\"track\":\"inbound\",\"digit\":\"5\",\"timestamp\":\"1705312250000\"},"
                    + "\"extra_headers\":\"a=1\"}");
        assertThat(sink.events.get(1))
                .isEqualTo(
                        StreamEvent.observed(
                                "dtmf",
                                "stream-1",
                                "call-1",
                                1_705_312_250_000L,
                                NOW,
                                Map.of(
                                        "sequenceNumber", "50",
                                        "streamId", "stream-1",
                                        "dtmf.track", "inbound",
                                        "dtmf.digit", "5",
                                        "dtmf.timestamp", "1705312250000",
                                        "extra_headers", "a=1")));
    }

    @Test
    void playedStreamAndItsAliasPlayedAreOneEventType() {
        handler.onText(START);
        handler.onText(
                "{\"event\":\"playedStream\",\"sequenceNumber\":75,\"streamId\":\"stream-1\",\"name\":\"turn-3\"}");
        handler.onText("{\"event\":\"played\",\"streamId\":\"stream-1\",\"name\":\"turn-4\"}");
        handler.onText(
                "{\"event\":\"clearedAudio\",\"sequenceNumber\":80,\"streamId\":\"stream-1\"}");
        assertThat(sink.events)
                .extracting(StreamEvent::type)
                .containsExactly("start", "playedStream", "playedStream", "clearedAudio");
        assertThat(sink.events.get(1).attributes()).containsEntry("name", "turn-3");
        assertThat(sink.events.get(2).attributes()).containsEntry("name", "turn-4");
    }

    @Test
    void stopIsAcceptedInBothShapes() {
        handler.onText(START);
        handler.onText("{\"event\":\"stop\",\"streamId\":\"stream-1\",\"reason\":\"hangup\"}");
        assertThat(sink.events.get(1).type()).isEqualTo("stop");
        assertThat(sink.events.get(1).attributes()).containsEntry("reason", "hangup");

        PlivoStreamHandler other = new PlivoStreamHandler(sink, () -> NOW);
        other.onText(
                "{\"event\":\"stop\",\"stop\":{\"callId\":\"c9\",\"streamId\":\"s9\",\"tracks\":[\"inbound\"]}}");
        StreamEvent nested = sink.events.get(2);
        assertThat(nested.streamId()).isEqualTo("s9");
        assertThat(nested.attributes())
                .containsEntry("stop.callId", "c9")
                .containsEntry("stop.tracks", "[\"inbound\"]");
        other.onClose(1000, "");
        // a stop before any start still counts as seen, but there is no stream to close
        assertThat(sink.events).hasSize(3);
    }

    @Test
    void unknownEventsArePassedOnNeverFatal() {
        handler.onText(START);
        handler.onText("{\"event\":\"muteStream\",\"streamId\":\"stream-1\",\"x\":{\"y\":1}}");
        handler.onText(media("inbound", NOW, 1, new byte[160]));
        assertThat(sink.events.get(1).type()).isEqualTo("muteStream");
        assertThat(sink.events.get(1).attributes()).containsEntry("x.y", "1");
        assertThat(sink.audio).hasSize(1);
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void anEventBeforeStartWithoutStreamIdIsDeadLettered() {
        handler.onText("{\"event\":\"clearedAudio\"}");
        assertThat(sink.deadLetters)
                .extracting(d -> d.reason())
                .containsExactly(
                        "streamId: a clearedAudio message before start must carry a streamId");
    }
}
