package io.callpulse.ingest.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BotMessageTapTest {

    private static final long T0 = 1_705_312_200_000L;
    private static final String STREAM = "stream-1";

    private final CollectingSink sink = new CollectingSink();
    private long now = T0;
    private String plivoStreamId = STREAM;
    private BotMessageTap tap;

    @BeforeEach
    void setUp() {
        tap = new BotMessageTap(sink, () -> now, () -> plivoStreamId);
    }

    static String playAudio(String contentType, Object sampleRate, String base64) {
        return "{\"event\":\"playAudio\",\"media\":{\"contentType\":\""
                + contentType
                + "\",\"sampleRate\":"
                + sampleRate
                + ",\"payload\":\""
                + base64
                + "\"}}";
    }

    static String playAudio(String contentType, Object sampleRate, byte[] payload) {
        return playAudio(contentType, sampleRate, Base64.getEncoder().encodeToString(payload));
    }

    @Test
    void playAudioBecomesOutboundAudioOnceItHasPlayed() {
        byte[] payload = new byte[320]; // 10 ms of L16 at 16 kHz
        tap.onBotMessage(playAudio("audio/x-l16", 16000, payload));
        tap.release();
        assertThat(sink.audio).isEmpty();

        now = T0 + 10;
        tap.release();

        assertThat(sink.audio)
                .containsExactly(
                        AudioRecord.audio(
                                STREAM,
                                Track.OUTBOUND,
                                AudioEncoding.L16,
                                16000,
                                1,
                                1,
                                T0,
                                T0,
                                payload));
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void theRateMayBeAString() {
        tap.onBotMessage(playAudio("audio/x-mulaw", "\"8000\"", new byte[80]));
        now = T0 + 10;
        tap.release();

        assertThat(sink.audio)
                .extracting(
                        AudioRecord::encoding, AudioRecord::sampleRate, AudioRecord::sampleCount)
                .containsExactly(tuple(AudioEncoding.MULAW, 8000, 80));
    }

    @Test
    void whatTheBotSendsBeforeStartIsReadAtItsArrivalTimeOnceTheStreamIsKnown() {
        plivoStreamId = null;
        tap.onBotMessage(playAudio("audio/x-mulaw", 8000, new byte[160]));
        tap.botUnavailable("ws://bot.example.com/agent", "closed the connection with 1000");
        now = T0 + 5;
        tap.onBotMessage("{\"event\":\"checkpoint\",\"name\":\"greeting\"}");
        now = T0 + 40;
        tap.release();
        assertThat(sink.audio).isEmpty();
        assertThat(sink.events).isEmpty();

        plivoStreamId = STREAM;
        tap.release();

        // split where the checkpoint came, as if it had been read then
        assertThat(sink.audio)
                .extracting(
                        AudioRecord::streamId,
                        AudioRecord::mediaTimestampMs,
                        AudioRecord::receivedAtMs,
                        AudioRecord::sampleCount)
                .containsExactly(tuple(STREAM, T0, T0, 40), tuple(STREAM, T0 + 5, T0, 120));
        assertThat(sink.events)
                .containsExactly(
                        StreamEvent.observed(
                                StreamEvent.Types.CHECKPOINT,
                                STREAM,
                                null,
                                T0 + 5,
                                T0 + 5,
                                Map.of("name", "greeting", "expectedPlayedAtMs", "" + (T0 + 20))),
                        StreamEvent.observed(
                                StreamEvent.Types.TAP_BOT_UNAVAILABLE,
                                STREAM,
                                null,
                                T0,
                                T0,
                                Map.of(
                                        "botUrl",
                                        "ws://bot.example.com/agent",
                                        "error",
                                        "closed the connection with 1000")));
    }

    @Test
    void withoutStartWhatWasHeldIsDeadLetteredAtClose() {
        plivoStreamId = null;
        String message = playAudio("audio/x-mulaw", 8000, new byte[160]);
        tap.onBotMessage(message);
        tap.botUnavailable("ws://bot.example.com/agent", "could not connect: refused");
        now = T0 + 3;

        tap.close();

        assertThat(sink.deadLetters)
                .containsExactly(
                        new DeadLetter(
                                "ingest",
                                "bot message: the Plivo socket closed before start, so its"
                                        + " stream is unknown",
                                null,
                                T0 + 3,
                                message),
                        new DeadLetter(
                                "ingest",
                                "tapBotUnavailable: the bot at ws://bot.example.com/agent was"
                                        + " unavailable (could not connect: refused) and the Plivo"
                                        + " socket closed before start",
                                null,
                                T0 + 3,
                                null));
        assertThat(sink.events).isEmpty();
    }

    @Test
    void aCheckpointCarriesWhenTheAudioBeforeItEnds() {
        tap.onBotMessage(playAudio("audio/x-mulaw", 8000, new byte[800])); // 100 ms
        now = T0 + 30;
        tap.onBotMessage(
                "{\"event\":\"checkpoint\",\"streamId\":\"stream-1\",\"name\":\"turn-3\"}");

        assertThat(sink.events)
                .containsExactly(
                        StreamEvent.observed(
                                StreamEvent.Types.CHECKPOINT,
                                STREAM,
                                null,
                                T0 + 30,
                                T0 + 30,
                                Map.of("name", "turn-3", "expectedPlayedAtMs", "" + (T0 + 100))));
        // what had played when the checkpoint came is written before it
        assertThat(sink.audio).extracting(AudioRecord::sampleCount).containsExactly(240);
    }

    @Test
    void clearAudioCutsThePlayoutAndNamesTheCheckpointsItCancels() {
        tap.onBotMessage(playAudio("audio/x-mulaw", 8000, new byte[8000])); // 1 s
        tap.onBotMessage("{\"event\":\"checkpoint\",\"name\":\"done\"}");
        now = T0 + 250;
        tap.onBotMessage("{\"event\":\"clearAudio\",\"streamId\":\"stream-1\"}");
        now = T0 + 2_000;
        tap.release();

        assertThat(sink.audio).extracting(AudioRecord::sampleCount).containsExactly(2000);
        assertThat(sink.events)
                .last()
                .isEqualTo(
                        StreamEvent.observed(
                                StreamEvent.Types.CLEAR_AUDIO,
                                STREAM,
                                null,
                                T0 + 250,
                                T0 + 250,
                                Map.of("cancelledCheckpoints", "[\"done\"]")));
    }

    @Test
    void sendDtmfIsAnEventWithTheDigits() {
        tap.onBotMessage("{\"event\":\"sendDTMF\",\"dtmf\":\"1234#\"}");

        assertThat(sink.events)
                .containsExactly(
                        StreamEvent.observed(
                                StreamEvent.Types.SEND_DTMF,
                                STREAM,
                                null,
                                T0,
                                T0,
                                Map.of("dtmf", "1234#")));
    }

    @Test
    void badPlayAudioIsDeadLetteredWithTheFieldAndNeverPlayed() {
        String badBase64 = playAudio("audio/x-mulaw", 8000, "not base64!");
        String unknownType = playAudio("audio/wav", 8000, new byte[160]);
        String muLawAt16k = playAudio("audio/x-mulaw", 16000, new byte[160]);
        String rateNotANumber = playAudio("audio/x-l16", "\"fast\"", new byte[160]);
        String oddL16 = playAudio("audio/x-l16", 8000, new byte[161]);
        String noMedia = "{\"event\":\"playAudio\"}";
        for (String message :
                new String[] {
                    badBase64, unknownType, muLawAt16k, rateNotANumber, oddL16, noMedia
                }) {
            tap.onBotMessage(message);
        }
        now = T0 + 1_000;
        tap.release();

        assertThat(sink.audio).isEmpty();
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::reason, DeadLetter::raw)
                .containsExactly(
                        tuple(
                                "playAudio.media.payload: not valid base64 (Illegal base64"
                                        + " character 20)",
                                badBase64),
                        tuple(
                                "playAudio.media.contentType: encoding 'audio/wav' is not"
                                        + " supported; expected audio/x-mulaw or audio/x-l16",
                                unknownType),
                        tuple(
                                "playAudio.media.sampleRate: expected 8000 for audio/x-mulaw,"
                                        + " found 16000",
                                muLawAt16k),
                        tuple(
                                "playAudio.media.sampleRate: expected 8000 or 16000 as a number"
                                        + " or a string, found \"fast\"",
                                rateNotANumber),
                        tuple(
                                "playAudio.media.payload: audio/x-l16 needs a multiple of 2"
                                        + " bytes, found 161",
                                oddL16),
                        tuple("playAudio.media: expected an object, found none", noMedia));
        assertThat(sink.deadLetters)
                .extracting(DeadLetter::streamId, DeadLetter::receivedAtMs)
                .containsOnly(tuple(STREAM, T0));
    }

    @Test
    void whatIsNotABidirectionalServerMessageIsDeadLettered() {
        tap.onBotMessage("{\"event\":\"media\"}");
        tap.onBotMessage("{not json");
        tap.onBotMessage("[1]");
        tap.onBotMessage("{\"event\":\"checkpoint\"}");
        tap.onBotBinary(new byte[] {1, 2, 3});

        assertThat(sink.deadLetters)
                .extracting(DeadLetter::reason)
                .containsExactly(
                        "bot message event: expected playAudio, checkpoint, clearAudio or"
                                + " sendDTMF, found \"media\"",
                        "bot message: not valid JSON (Unexpected character ('n' (code 110)):"
                                + " was expecting double-quote to start field name)",
                        "bot message: expected a JSON object",
                        "checkpoint.name: expected a non-empty string, found none",
                        "bot message: expected a JSON text frame, found a binary frame of 3"
                                + " bytes");
        assertThat(sink.deadLetters.get(4).raw()).isEqualTo("AQID");
        assertThat(sink.events).isEmpty();
    }

    @Test
    void closeWritesWhatHadPlayedDropsTheRestAndEndsTheTap() {
        tap.onBotMessage(playAudio("audio/x-mulaw", 8000, new byte[800])); // 100 ms
        now = T0 + 45;

        tap.close();
        now = T0 + 1_000;
        tap.release();
        tap.onBotMessage("{\"event\":\"sendDTMF\",\"dtmf\":\"1\"}");
        tap.botUnavailable("ws://bot.example.com/agent", "closed the connection with 1000");

        assertThat(sink.audio).extracting(AudioRecord::sampleCount).containsExactly(360);
        assertThat(sink.events).isEmpty();
        assertThat(sink.deadLetters).isEmpty();
    }
}
