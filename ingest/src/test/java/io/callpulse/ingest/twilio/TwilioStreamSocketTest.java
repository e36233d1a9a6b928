package io.callpulse.ingest.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.TestStreamClient;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.plivo.PlivoRoutes;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.ingest.security.TwilioRequestVerifier;
import io.callpulse.ingest.security.TwilioSignature;
import io.callpulse.ingest.websocket.StreamWebSocketServer;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.StreamEvent;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Twilio stream over a real socket, on {@code /twilio} beside Plivo's default route: what it
 * writes, and which upgrades open.
 */
class TwilioStreamSocketTest {

    private static final String TOKEN = "twilio_auth_token";
    private static final long NOW = 1_705_312_200_000L;

    private final CollectingSink sink = new CollectingSink();
    private StreamWebSocketServer server;
    private int port;

    private void startServer(String twilioToken) throws Exception {
        server =
                new StreamWebSocketServer(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(
                                TwilioRoutes.stream(
                                        "/twilio",
                                        new TwilioRequestVerifier(twilioToken, null),
                                        sink,
                                        () -> NOW)),
                        PlivoRoutes.stream(
                                "/stream", new PlivoRequestVerifier(null, null), sink, () -> NOW),
                        sink,
                        () -> NOW,
                        new IngestMetrics());
        server.start();
        port = server.started().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(2_000);
    }

    /** Whether an upgrade with these headers opens (true) or is refused (false). */
    private boolean connects(Map<String, String> headers) throws Exception {
        return TestStreamClient.opens(twilioUrl(), headers);
    }

    private URI twilioUrl() {
        return URI.create("ws://127.0.0.1:" + port + "/twilio");
    }

    /** Twilio dialled wss:// through a TLS terminator; the ingest sees plain ws://. */
    private Map<String, String> signedFor(String path) {
        return Map.of(
                TwilioRequestVerifier.SIGNATURE,
                TwilioSignature.compute(TOKEN, "wss://127.0.0.1:" + port + path, Map.of()));
    }

    private static String media(String track, int chunk, int timestamp, byte[] payload) {
        return "{\"event\":\"media\",\"sequenceNumber\":\""
                + (chunk + 2)
                + "\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\""
                + track
                + "\",\"chunk\":\""
                + chunk
                + "\",\"timestamp\":\""
                + timestamp
                + "\",\"payload\":\""
                + Base64.getEncoder().encodeToString(payload)
                + "\"}}";
    }

    @Test
    void aShortTwilioStreamBecomesTheRecordsOfAPlivoStream() throws Exception {
        startServer(TOKEN);
        byte[] inbound1 = new byte[160];
        byte[] inbound2 = new byte[160];
        byte[] outbound1 = new byte[160];
        inbound2[0] = 1;
        outbound1[0] = 2;
        TestStreamClient twilio = TestStreamClient.connect(twilioUrl(), signedFor("/twilio"), null);
        assertThat(twilio.opened.get()).isTrue();

        twilio.send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
        twilio.send(
                """
                {"event":"start","sequenceNumber":"1",
                 "start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1",
                          "tracks":["inbound","outbound"],"customParameters":{"agent":"42"},
                          "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,
                                         "channels":1}},
                 "streamSid":"MZ1"}\
                """);
        twilio.send(media("inbound", 1, 0, inbound1));
        twilio.send(media("outbound", 1, 0, outbound1));
        twilio.send(media("inbound", 2, 20, inbound2));
        twilio.send(
                "{\"event\":\"mark\",\"sequenceNumber\":\"6\",\"streamSid\":\"MZ1\","
                        + "\"mark\":{\"name\":\"greeting\"}}");
        twilio.send(
                "{\"event\":\"stop\",\"sequenceNumber\":\"7\",\"streamSid\":\"MZ1\","
                        + "\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\"}}");
        twilio.closeBlocking();
        sink.awaitEvent(StreamEvent.Types.CLOSED);

        assertThat(sink.deadLetters).isEmpty();
        assertThat(sink.audio)
                .containsExactly(
                        AudioRecord.audio(
                                "MZ1",
                                Track.INBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                1,
                                1,
                                NOW,
                                NOW,
                                inbound1),
                        AudioRecord.audio(
                                "MZ1",
                                Track.OUTBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                1,
                                1,
                                NOW,
                                NOW,
                                outbound1),
                        AudioRecord.audio(
                                "MZ1",
                                Track.INBOUND,
                                AudioEncoding.MULAW,
                                8000,
                                2,
                                1,
                                NOW + 20,
                                NOW,
                                inbound2),
                        AudioRecord.endOfStream("MZ1", NOW + 40, NOW));
        assertThat(sink.events)
                .containsExactly(
                        StreamEvent.started(
                                        "MZ1",
                                        "CA1",
                                        "AC1",
                                        NOW,
                                        List.of("inbound", "outbound"),
                                        "audio/x-mulaw",
                                        8000,
                                        Map.of("agent", "42"))
                                .withAttributes(
                                        Map.of(
                                                "provider", "twilio",
                                                "connected.protocol", "Call",
                                                "connected.version", "1.0.0")),
                        StreamEvent.observed(
                                "mark",
                                "MZ1",
                                "CA1",
                                null,
                                NOW,
                                Map.of(
                                        "sequenceNumber", "6",
                                        "streamSid", "MZ1",
                                        "mark.name", "greeting")),
                        StreamEvent.observed(
                                "stop",
                                "MZ1",
                                "CA1",
                                null,
                                NOW,
                                Map.of(
                                        "sequenceNumber", "7",
                                        "streamSid", "MZ1",
                                        "stop.accountSid", "AC1",
                                        "stop.callSid", "CA1")),
                        StreamEvent.closed("MZ1", "CA1", NOW, 1000, null, true));
    }

    @Test
    void withATokenOnlyAnUpgradeTwilioSignedForThisPathOpens() throws Exception {
        startServer(TOKEN);
        assertThat(connects(Map.of())).isFalse();
        assertThat(connects(Map.of(TwilioRequestVerifier.SIGNATURE, "bm9wZQ=="))).isFalse();
        assertThat(connects(signedFor("/stream"))).isFalse();
        assertThat(connects(signedFor("/twilio"))).isTrue();
    }

    @Test
    void withoutATokenAnUnsignedUpgradeOpens() throws Exception {
        startServer(null);
        assertThat(connects(Map.of())).isTrue();
    }
}
