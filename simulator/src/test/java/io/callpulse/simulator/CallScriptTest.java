package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callpulse.simulator.CallScript.Abort;
import io.callpulse.simulator.CallScript.Close;
import io.callpulse.simulator.CallScript.Kind;
import io.callpulse.simulator.CallScript.Send;
import io.callpulse.simulator.CallScript.Step;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallScriptTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long T0 = 1_705_312_200_000L;

    private static CallScript script(Scenario scenario, int chunks, boolean outbound) {
        short[] ramp = new short[chunks * 160];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (short) (i / 160 * 100); // each chunk has its own level
        }
        EncodedTrack track = EncodedTrack.of(StreamFormat.MULAW_8K, ramp);
        return new CallScript(
                new CallScript.Spec(
                        scenario,
                        "s-1",
                        "c-1",
                        StreamFormat.MULAW_8K,
                        track,
                        outbound ? track : null,
                        "a=1",
                        T0,
                        chunks));
    }

    private static JsonNode json(Step step) throws Exception {
        return MAPPER.readTree(((Send) step).text());
    }

    /** "track:chunk" of every media message, in the order sent. */
    private static List<String> media(List<Step> steps) throws Exception {
        List<String> out = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Send send && send.kind() == Kind.MEDIA) {
                JsonNode media = json(step).path("media");
                out.add(media.path("track").asText() + ":" + media.path("chunk").asLong());
            }
        }
        return out;
    }

    @Test
    void normalSendsStartMediaPerTrackDtmfHalfwayStopAndCloses() throws Exception {
        List<Step> steps = script(Scenario.NORMAL, 3, true).all();
        assertThat(steps)
                .extracting(
                        s ->
                                s instanceof Send send
                                        ? send.kind().name()
                                        : s.getClass().getSimpleName())
                .containsExactly(
                        "START", "MEDIA", "MEDIA", "MEDIA", "MEDIA", "DTMF", "MEDIA", "MEDIA",
                        "STOP", "Close");
        assertThat(steps)
                .extracting(Step::dueTick)
                .containsExactly(0L, 0L, 0L, 1L, 1L, 1L, 2L, 2L, 3L, 3L);
        assertThat(media(steps))
                .containsExactly(
                        "inbound:1",
                        "outbound:1",
                        "inbound:2",
                        "outbound:2",
                        "inbound:3",
                        "outbound:3");
        // sequenceNumber counts every message on the connection
        for (int i = 0; i < 9; i++) {
            assertThat(json(steps.get(i)).path("sequenceNumber").asLong()).isEqualTo(i + 1);
        }
        JsonNode second = json(steps.get(3));
        assertThat(second.path("media").path("timestamp").asText()).isEqualTo("1705312200020");
        assertThat(second.path("media").path("timestamp").isTextual()).isTrue();
        assertThat(second.path("media").path("chunk").isIntegralNumber()).isTrue();
        assertThat(Base64.getDecoder().decode(second.path("media").path("payload").asText()))
                .hasSize(160);
        JsonNode dtmf = json(steps.get(5));
        assertThat(dtmf.toString())
                .isEqualTo(
                        "{\"event\":\"dtmf\",\"sequenceNumber\":6,\"streamId\":\"s-1\",\"dtmf\":"
                            + "{\"track\":\"inbound\",\"digit\":\"5\",\"timestamp\":\"1705312200020\"},"
                            + "\"extra_headers\":\"a=1\"}");
        assertThat(((Send) steps.get(8)).text())
                .isEqualTo(
                        "{\"event\":\"stop\",\"sequenceNumber\":9,\"streamId\":\"s-1\",\"stop\":"
                            + "{\"callId\":\"c-1\",\"streamId\":\"s-1\",\"tracks\":[\"inbound\",\"outbound\"]}}");
        assertThat(steps.get(9)).isEqualTo(new Close(3, 1000));
    }

    @Test
    void reorderedSwapsTheEleventhAndTwelfthDoublesTheTwentySixthAndLosesTheFortyFirst()
            throws Exception {
        List<String> chunks = new ArrayList<>();
        for (String m : media(script(Scenario.REORDERED, 50, false).all())) {
            chunks.add(m.substring("inbound:".length()));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            if (i == 11) {
                expected.add("12");
            } else if (i == 12) {
                expected.add("11");
            } else if (i == 26) {
                expected.add("26");
                expected.add("26");
            } else if (i != 41) {
                expected.add(Integer.toString(i));
            }
        }
        assertThat(chunks).isEqualTo(expected);
    }

    @Test
    void reorderedRepeatsItsFaultsEverySecond() {
        assertThat(CallScript.chunksAt(Scenario.REORDERED, 60, 200)).containsExactly(61);
        assertThat(CallScript.chunksAt(Scenario.REORDERED, 61, 200)).containsExactly(60);
        assertThat(CallScript.chunksAt(Scenario.REORDERED, 75, 200)).containsExactly(75, 75);
        assertThat(CallScript.chunksAt(Scenario.REORDERED, 90, 200)).isEmpty();
        // a swap that would run past the last chunk is not made
        assertThat(CallScript.chunksAt(Scenario.REORDERED, 10, 11)).containsExactly(10);
        assertThat(CallScript.chunksAt(Scenario.NORMAL, 10, 200)).containsExactly(10);
    }

    @Test
    void droppedStopsAtSixtyPercentAndEndsWithAnAbortNotACloseOrStop() throws Exception {
        List<Step> steps = script(Scenario.DROPPED, 10, true).all();
        assertThat(media(steps)).hasSize(12).last().isEqualTo("outbound:6");
        assertThat(steps.get(steps.size() - 1)).isEqualTo(new Abort(6));
        assertThat(steps).noneMatch(s -> s instanceof Close);
        assertThat(steps).noneMatch(s -> s instanceof Send send && send.kind() == Kind.STOP);
    }

    @Test
    void silentDropStopsMediaButHoldsTheSocketToTheEnd() throws Exception {
        List<Step> steps = script(Scenario.SILENT_DROP, 10, true).all();
        assertThat(media(steps)).hasSize(12);
        assertThat(steps.get(steps.size() - 1)).isEqualTo(new Close(10, 1000));
        assertThat(steps).noneMatch(s -> s instanceof Send send && send.kind() == Kind.STOP);
    }

    @Test
    void noMediaSendsOnlyStart() {
        List<Step> steps = script(Scenario.NO_MEDIA, 10, true).all();
        assertThat(steps).hasSize(2);
        assertThat(((Send) steps.get(0)).kind()).isEqualTo(Kind.START);
        assertThat(steps.get(1)).isEqualTo(new Close(10, 1000));
    }

    @Test
    void malformedSendsEachKindOfBadMessageOnceASecond() throws Exception {
        List<Step> steps = script(Scenario.MALFORMED, 50, false).all();
        List<String> bad = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Send send
                    && (send.kind() == Kind.MALFORMED || send.kind() == Kind.UNKNOWN_EVENT)) {
                bad.add(step.dueTick() + " " + send.text());
            }
        }
        assertThat(bad)
                .containsExactly(
                        "5 {\"event\":\"media\",\"sequenceNumber\":7,\"streamId\":\"s-1\","
                                + "\"media\":{\"track\":\"inbound\",\"payload\":",
                        "10 {\"event\":\"media\",\"sequenceNumber\":13,\"streamId\":\"s-1\","
                            + "\"media\":{\"track\":\"inbound\",\"timestamp\":\"1705312200200\",\"chunk\":11,\"payload\":\"***not"
                            + " base64***\"},\"extra_headers\":\"a=1\"}",
                        "15 {\"event\":\"media\",\"sequenceNumber\":18,\"streamId\":\"s-1\","
                            + "\"media\":{\"track\":\"inbound\",\"timestamp\":\"1705312200300\","
                            + "\"chunk\":16,\"payload\":\"AQIDBAUGBw==\"},\"extra_headers\":\"a=1\"}",
                        "20 {\"event\":\"muteStream\",\"sequenceNumber\":23,\"streamId\":\"s-1\"}");
        // start, 48 good media, 4 bad, dtmf, stop
        assertThat(steps.stream().filter(s -> s instanceof Send).count()).isEqualTo(55);
    }

    @Test
    void oneWayDeclaresBothTracksAndTheOutboundIsSilence() throws Exception {
        EncodedTrack caller = EncodedTrack.of(StreamFormat.L16_8K, new short[] {1000, -1000});
        EncodedTrack silence = EncodedTrack.silence(StreamFormat.L16_8K, 1);
        List<Step> steps =
                new CallScript(
                                new CallScript.Spec(
                                        Scenario.ONE_WAY,
                                        "s",
                                        "c",
                                        StreamFormat.L16_8K,
                                        caller,
                                        silence,
                                        null,
                                        T0,
                                        1))
                        .all();
        assertThat(json(steps.get(0)).path("start").path("tracks").toString())
                .isEqualTo("[\"inbound\",\"outbound\"]");
        assertThat(
                        Base64.getDecoder()
                                .decode(json(steps.get(2)).path("media").path("payload").asText()))
                .hasSize(320)
                .containsOnly(0);
    }

    @Test
    void aTrackShorterThanTheCallRepeatsItsLastPayload() throws Exception {
        EncodedTrack shortTrack = EncodedTrack.of(StreamFormat.MULAW_8K, new short[160]);
        List<Step> steps =
                new CallScript(
                                new CallScript.Spec(
                                        Scenario.NORMAL,
                                        "s",
                                        "c",
                                        StreamFormat.MULAW_8K,
                                        shortTrack,
                                        null,
                                        null,
                                        T0,
                                        2))
                        .all();
        assertThat(media(steps)).containsExactly("inbound:1", "inbound:2");
    }

    @Test
    void anOutboundOnlyStreamGetsTheDtmfAndTheBadPayloadsOnItsOwnTrack() throws Exception {
        EncodedTrack agent = EncodedTrack.of(StreamFormat.MULAW_8K, new short[160 * 20]);
        List<Step> steps =
                new CallScript(
                                new CallScript.Spec(
                                        Scenario.MALFORMED,
                                        "s",
                                        "c",
                                        StreamFormat.MULAW_8K,
                                        null,
                                        agent,
                                        null,
                                        T0,
                                        20))
                        .all();
        List<String> tracks = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Send send
                    && (send.kind() == Kind.DTMF || send.kind() == Kind.MALFORMED)
                    && step.dueTick() != 5) {
                JsonNode json = json(step);
                tracks.add(
                        send.kind()
                                + " "
                                + json.path(send.kind() == Kind.DTMF ? "dtmf" : "media")
                                        .path("track")
                                        .asText());
            }
        }
        assertThat(tracks)
                .containsExactly("MALFORMED outbound", "DTMF outbound", "MALFORMED outbound");
    }
}
