package io.callpulse.ingest.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.plivo.PlivoStreamHandler;
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

/**
 * The messages of Twilio's Media Streams, as its documentation shows them, and what they become.
 */
class TwilioStreamHandlerTest {

    private static final long NOW = 1_705_312_200_000L;
    private static final String CONNECTED =
            "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";
    private static final String START =
            """
            {"event":"start","sequenceNumber":"1",
             "start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1",
                      "tracks":["inbound","outbound"],
                      "customParameters":{"campaign":"spring","agent":"42"},
                      "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},
             "streamSid":"MZ1"}\
            """;
    private static final String STOP =
            "{\"event\":\"stop\",\"sequenceNumber\":\"9\",\"streamSid\":\"MZ1\","
                    + "\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\"}}";

    private CollectingSink sink;
    private long clock;
    private TwilioStreamHandler handler;

    @BeforeEach
    void setUp() {
        sink = new CollectingSink();
        clock = NOW;
        handler = new TwilioStreamHandler(sink, () -> clock);
    }

    /** A media message with its numbers as JSON strings, as Twilio sends them. */
    private static String media(String track, String chunk, String timestamp, byte[] payload) {
        return mediaWith("\"" + track + "\"", chunk, timestamp, payload);
    }

    /** A media message whose track, chunk and timestamp are written as given (raw JSON). */
    private static String mediaWith(
            String trackJson, String chunkJson, String timestampJson, byte[] payload) {
        return "{\"event\":\"media\",\"sequenceNumber\":\"3\",\"streamSid\":\"MZ1\",\"media\":{"
                + "\"track\":"
                + trackJson
                + ",\"chunk\":"
                + chunkJson
                + ",\"timestamp\":"
                + timestampJson
                + ",\"payload\":\""
                + Base64.getEncoder().encodeToString(payload)
                + "\"}}";
    }

    private static byte[] tone(int length, int seed) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (seed + i);
        }
        return payload;
    }

    private static StreamEvent started(Map<String, String> attributes) {
        return StreamEvent.started(
                        "MZ1",
                        "CA1",
                        "AC1",
                        NOW,
                        List.of("inbound", "outbound"),
                        "audio/x-mulaw",
                        8000,
                        Map.of("campaign", "spring", "agent", "42"))
                .withAttributes(attributes);
    }

    private List<String> reasons() {
        return sink.deadLetters.stream().map(DeadLetter::reason).toList();
    }

    @Test
    void connectedWritesNothingButGoesIntoTheStartEventWithTheProvider() {
        handler.onText(CONNECTED);
        assertThat(sink.events).isEmpty();
        assertThat(handler.streamId()).isNull();

        handler.onText(START);

        assertThat(sink.events)
                .containsExactly(
                        started(
                                Map.of(
                                        "provider", "twilio",
                                        "connected.protocol", "Call",
                                        "connected.version", "1.0.0")));
        assertThat(handler.streamId()).isEqualTo("MZ1");
        assertThat(sink.audio).isEmpty();
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void aStartWithoutConnectedStillNamesTheProvider() {
        handler.onText(START);
        assertThat(sink.events).containsExactly(started(Map.of("provider", "twilio")));
    }

    @Test
    void mediaOnBothTracksIsTimedFromTheStartWhateverTheNumbersAreWrittenAs() {
        handler.onText(START);
        byte[] inbound = tone(160, 1);
        byte[] outbound = tone(160, 7);
        byte[] later = tone(80, 3);
        clock = NOW + 30;
        handler.onText(media("inbound", "\"1\"", "\"5\"", inbound));
        clock = NOW + 31;
        handler.onText(media("outbound", "\"1\"", "\"6\"", outbound));
        clock = NOW + 52;
        // numbers written as JSON numbers are read too
        handler.onText(mediaWith("\"inbound\"", "2", "25", later));

        assertThat(sink.audio)
                .containsExactly(
                        AudioRecord.audio(
                                "MZ1",
                                Track.INBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                1,
                                1,
                                NOW + 5,
                                NOW + 30,
                                inbound),
                        AudioRecord.audio(
                                "MZ1",
                                Track.OUTBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                1,
                                1,
                                NOW + 6,
                                NOW + 31,
                                outbound),
                        AudioRecord.audio(
                                "MZ1",
                                Track.INBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                2,
                                1,
                                NOW + 25,
                                NOW + 52,
                                later));
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void markBecomesAMarkEventWithItsName() {
        handler.onText(START);
        clock = NOW + 900;
        handler.onText(
                "{\"event\":\"mark\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ1\","
                        + "\"mark\":{\"name\":\"turn-3\"}}");
        assertThat(sink.events.get(1))
                .isEqualTo(
                        StreamEvent.observed(
                                "mark",
                                "MZ1",
                                "CA1",
                                null,
                                NOW + 900,
                                Map.of(
                                        "sequenceNumber", "4",
                                        "streamSid", "MZ1",
                                        "mark.name", "turn-3")));
    }

    @Test
    void dtmfBecomesADtmfEventWithTheDigit() {
        handler.onText(START);
        clock = NOW + 1_200;
        handler.onText(
                "{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"sequenceNumber\":\"5\","
                        + "\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"7\"}}");
        assertThat(sink.events.get(1))
                .isEqualTo(
                        StreamEvent.observed(
                                "dtmf",
                                "MZ1",
                                "CA1",
                                null,
                                NOW + 1_200,
                                Map.of(
                                        "streamSid", "MZ1",
                                        "sequenceNumber", "5",
                                        "dtmf.track", "inbound_track",
                                        "dtmf.digit", "7")));
    }

    @Test
    void stopThenTheCloseWriteAStopEventTheEndMarkerAfterTheAudioAndAClosedEvent() {
        handler.onText(START);
        handler.onText(media("inbound", "\"1\"", "\"0\"", tone(160, 0)));
        handler.onText(media("inbound", "\"2\"", "\"20\"", tone(160, 0)));
        clock = NOW + 400;
        handler.onText(STOP);
        clock = NOW + 500;
        handler.onClose(1000, "bye");

        assertThat(sink.events)
                .containsExactly(
                        started(Map.of("provider", "twilio")),
                        StreamEvent.observed(
                                "stop",
                                "MZ1",
                                "CA1",
                                null,
                                NOW + 400,
                                Map.of(
                                        "sequenceNumber", "9",
                                        "streamSid", "MZ1",
                                        "stop.accountSid", "AC1",
                                        "stop.callSid", "CA1")),
                        StreamEvent.closed("MZ1", "CA1", NOW + 500, 1000, "bye", true));
        assertThat(sink.audio).hasSize(3);
        // the second 20 ms of audio ends 40 ms after the start
        assertThat(sink.audio.get(2))
                .isEqualTo(AudioRecord.endOfStream("MZ1", NOW + 40, NOW + 500));
    }

    @Test
    void aCloseWithoutStopSaysSoAndMarksTheEndAtTheStartWhenThereWasNoAudio() {
        handler.onText(START);
        clock = NOW + 100;
        handler.onClose(1006, "");
        assertThat(sink.audio).containsExactly(AudioRecord.endOfStream("MZ1", NOW, NOW + 100));
        assertThat(sink.events.get(1))
                .isEqualTo(StreamEvent.closed("MZ1", "CA1", NOW + 100, 1006, null, false));
    }

    @Test
    void unknownEventsAndALateConnectedArePassedOnNeverFatal() {
        handler.onText(START);
        handler.onText("{\"event\":\"transcription\",\"streamSid\":\"MZ1\",\"x\":{\"y\":1}}");
        handler.onText(CONNECTED);
        handler.onText(media("inbound", "\"1\"", "\"0\"", tone(160, 0)));
        assertThat(sink.events.subList(1, 3))
                .containsExactly(
                        StreamEvent.observed(
                                "transcription",
                                "MZ1",
                                "CA1",
                                null,
                                NOW,
                                Map.of("streamSid", "MZ1", "x.y", "1")),
                        StreamEvent.observed(
                                "connected",
                                "MZ1",
                                "CA1",
                                null,
                                NOW,
                                Map.of("protocol", "Call", "version", "1.0.0")));
        assertThat(sink.audio).hasSize(1);
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void badInputIsDeadLetteredWithTheFieldAndWhatWasExpectedAndTheStreamGoesOn() {
        handler.onText(START);
        handler.onText("not json");
        handler.onText("{\"sequenceNumber\":\"3\",\"streamSid\":\"MZ1\"}");
        handler.onText(
                "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\","
                        + "\"chunk\":\"1\",\"timestamp\":\"0\",\"payload\":\"%%%\"}}");
        handler.onText(media("inbound_track", "\"1\"", "\"0\"", tone(160, 0)));
        handler.onText(media("inbound", "\"one\"", "\"0\"", tone(160, 0)));
        handler.onText(media("inbound", "\"1\"", "\"0.5\"", tone(160, 0)));
        handler.onText("{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"x\"}}");
        handler.onText("{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"\"}}");
        handler.onText(START.replace("MZ1", "MZ2"));
        handler.onText(media("inbound", "\"4\"", "\"60\"", tone(160, 0)));

        assertThat(sink.deadLetters)
                // Jackson's own words vary by version; the rest is ours
                .extracting(
                        d ->
                                d.reason().startsWith("message: not valid JSON (")
                                        ? "message: not valid JSON (...)"
                                        : d.reason())
                .containsExactly(
                        "message: not valid JSON (...)",
                        "event: expected a string such as start or media, found none",
                        "media.payload: not valid base64 (Illegal base64 character 25)",
                        "media.track: track 'inbound_track' is not known; expected inbound or"
                                + " outbound",
                        "media.chunk: expected an integer or a string of digits, found \"one\"",
                        "media.timestamp: expected an integer or a string of digits, found"
                                + " \"0.5\"",
                        "dtmf.digit: expected a non-empty string, found none",
                        "mark.name: expected a non-empty string, found \"\"",
                        "start: a second start on one connection (stream MZ1)");
        assertThat(sink.deadLetters).allSatisfy(d -> assertThat(d.streamId()).isEqualTo("MZ1"));
        assertThat(sink.deadLetters.get(0))
                .extracting(DeadLetter::stage, DeadLetter::receivedAtMs, DeadLetter::raw)
                .containsExactly("ingest", NOW, "not json");
        assertThat(sink.events).hasSize(1);
        assertThat(sink.audio).extracting(AudioRecord::firstChunk).containsExactly(4L);
    }

    @Test
    void mediaBeforeStartIsHeldThenTimedFromTheStart() {
        byte[] payload = tone(160, 9);
        handler.onText(CONNECTED);
        handler.onText(media("inbound", "\"1\"", "\"20\"", payload));
        assertThat(sink.audio).isEmpty();
        clock = NOW + 5;
        handler.onText(START);

        assertThat(sink.events).hasSize(1);
        assertThat(sink.audio)
                .containsExactly(
                        AudioRecord.audio(
                                "MZ1",
                                Track.INBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                1,
                                1,
                                NOW + 5 + 20,
                                NOW,
                                payload));
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void heldMediaThatCannotBeReadIsDeadLetteredWhenStartComes() {
        String bad = media("sideways", "\"1\"", "\"0\"", tone(160, 0));
        handler.onText(bad);
        clock = NOW + 5;
        handler.onText(START);
        assertThat(sink.deadLetters)
                .containsExactly(
                        new DeadLetter(
                                "ingest",
                                "media.track: track 'sideways' is not known; expected inbound or"
                                        + " outbound",
                                "MZ1",
                                NOW,
                                bad));
    }

    @Test
    void mediaHeldBeforeAStartThatNeverComesIsDeadLetteredAtClose() {
        handler.onText(media("inbound", "\"1\"", "\"0\"", tone(160, 0)));
        clock = NOW + 50;
        handler.onClose(1006, "");
        assertThat(sink.audio).isEmpty();
        assertThat(sink.events).isEmpty();
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::reason, DeadLetter::receivedAtMs)
                .containsExactly(tuple("media: the socket closed before start", NOW + 50));
    }

    @Test
    void mediaBeforeStartIsBounded() {
        for (int i = 0; i < 501; i++) {
            handler.onText(
                    media("inbound", "\"" + (i + 1) + "\"", "\"" + 20 * i + "\"", tone(160, 0)));
        }
        assertThat(reasons()).containsExactly("media: more than 500 media messages before start");
    }

    @Test
    void aStartInAFormatTwilioDoesNotStreamIsRefusedAndTheStreamDoesNotStart() {
        handler.onText(START.replace("audio/x-mulaw", "audio/x-l16"));
        handler.onText(START.replace("\"sampleRate\":8000", "\"sampleRate\":16000"));
        handler.onText(START.replace("\"channels\":1", "\"channels\":2"));
        handler.onText(START.replace("\"sampleRate\":8000", "\"sampleRate\":\"fast\""));
        handler.onText(
                START.replace("{\"campaign\":\"spring\",\"agent\":\"42\"}", "\"campaign=spring\""));
        handler.onText(START.replace("\"streamSid\":\"MZ1\",\"callSid\"", "\"callSid\""));

        assertThat(reasons())
                .containsExactly(
                        "start.mediaFormat.encoding: expected audio/x-mulaw, the only encoding"
                                + " Twilio streams, found \"audio/x-l16\"",
                        "start.mediaFormat.sampleRate: expected 8000, found 16000",
                        "start.mediaFormat.channels: expected 1, found 2",
                        "start.mediaFormat.sampleRate: expected an integer or a string of digits,"
                                + " found \"fast\"",
                        "start.customParameters: expected an object, found \"campaign=spring\"",
                        "start.streamSid: expected a non-empty string, found none");
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::raw)
                .containsExactly(
                        START.replace("audio/x-mulaw", "audio/x-l16"),
                        START.replace("\"sampleRate\":8000", "\"sampleRate\":16000"),
                        START.replace("\"channels\":1", "\"channels\":2"),
                        START.replace("\"sampleRate\":8000", "\"sampleRate\":\"fast\""),
                        START.replace(
                                "{\"campaign\":\"spring\",\"agent\":\"42\"}",
                                "\"campaign=spring\""),
                        START.replace("\"streamSid\":\"MZ1\",\"callSid\"", "\"callSid\""));
        assertThat(sink.events).isEmpty();
        assertThat(handler.streamId()).isNull();
    }

    @Test
    void anEventBeforeStartWithoutStreamSidIsDeadLettered() {
        handler.onText("{\"event\":\"stop\",\"sequenceNumber\":\"9\"}");
        assertThat(reasons())
                .containsExactly("streamSid: a stop message before start must carry a streamSid");
    }

    /** The point of the dialect: one pipeline reads both providers' records. */
    @Test
    void aTwilioStreamWritesTheRecordsThePlivoStreamOfTheSameCallWrites() {
        byte[] first = tone(160, 1);
        byte[] second = tone(160, 2);
        CollectingSink plivoSink = new CollectingSink();
        PlivoStreamHandler plivo = new PlivoStreamHandler(plivoSink, () -> clock);

        handler.onText(CONNECTED);
        handler.onText(START);
        plivo.onText(
                """
                {"event":"start","sequenceNumber":1,
                 "start":{"callId":"CA1","streamId":"MZ1","accountId":"AC1",
                          "tracks":["inbound","outbound"],
                          "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000}},
                 "extra_headers":"campaign=spring;agent=42"}\
                """);
        clock = NOW + 25;
        handler.onText(media("inbound", "\"1\"", "\"0\"", first));
        handler.onText(media("outbound", "\"1\"", "\"20\"", second));
        plivo.onText(plivoMedia("inbound", 1, "\"0\"", first));
        plivo.onText(plivoMedia("outbound", 1, "\"20\"", second));
        clock = NOW + 60;
        handler.onText(STOP);
        plivo.onText("{\"event\":\"stop\",\"streamId\":\"MZ1\"}");
        clock = NOW + 80;
        handler.onClose(1000, "");
        plivo.onClose(1000, "");

        assertThat(sink.audio).isEqualTo(plivoSink.audio).hasSize(3);
        assertThat(sink.events.get(0))
                .usingRecursiveComparison()
                .ignoringFields("attributes")
                .isEqualTo(plivoSink.events.get(0));
        assertThat(sink.events.get(2)).isEqualTo(plivoSink.events.get(2));
        assertThat(sink.events)
                .extracting(StreamEvent::type)
                .isEqualTo(plivoSink.events.stream().map(StreamEvent::type).toList());
    }

    private static String plivoMedia(String track, long chunk, String timestamp, byte[] payload) {
        return "{\"event\":\"media\",\"streamId\":\"MZ1\",\"media\":{\"track\":\""
                + track
                + "\",\"timestamp\":"
                + timestamp
                + ",\"chunk\":"
                + chunk
                + ",\"payload\":\""
                + Base64.getEncoder().encodeToString(payload)
                + "\"}}";
    }
}
