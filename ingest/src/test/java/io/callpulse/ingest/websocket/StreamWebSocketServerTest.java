package io.callpulse.ingest.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.ingest.TestStreamClient;
import io.callpulse.ingest.metrics.IngestMetrics;
import io.callpulse.ingest.plivo.PlivoRoutes;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.records.StreamEvent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket endpoint over real sockets, on Plivo's route: limits, frames, backpressure. */
class StreamWebSocketServerTest {

    private static final long NOW = 1_705_312_200_000L;
    private static final String START =
            """
            {"event":"start","sequenceNumber":1,
             "start":{"callId":"call-1","streamId":"stream-1","accountId":"MA1",
                      "tracks":["inbound"],
                      "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000}}}\
            """;

    private final CollectingSink sink = new CollectingSink();
    private final IngestMetrics metrics = new IngestMetrics();
    private StreamWebSocketServer server;
    private URI streamUrl;

    @BeforeEach
    void start() throws Exception {
        server =
                new StreamWebSocketServer(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(),
                        PlivoRoutes.stream(
                                "/stream", new PlivoRequestVerifier(null, null), sink, () -> NOW),
                        sink,
                        () -> NOW,
                        metrics);
        server.start();
        streamUrl =
                URI.create("ws://127.0.0.1:" + server.started().get(10, TimeUnit.SECONDS) + "/");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(2_000);
    }

    @Test
    void whilePausedTheLostConnectionCheckIsStoppedAndResumingRestoresIt() {
        assertThat(server.getConnectionLostTimeout()).isEqualTo(30);

        server.pauseReading();
        assertThat(server.getConnectionLostTimeout()).isZero();

        server.resumeReading();
        assertThat(server.getConnectionLostTimeout()).isEqualTo(30);
    }

    @Test
    void whilePausedASocketIsReadOnceAfterTheUpgradeResponseThenNotUntilResumed() throws Exception {
        server.pauseReading();
        TestStreamClient client = TestStreamClient.connect(streamUrl);
        // writing the upgrade's response re-arms reading: one read gets through
        client.send(START);
        sink.awaitEvent(StreamEvent.Types.START);

        client.send("{\"event\":\"dtmf\",\"streamId\":\"stream-1\",\"dtmf\":{\"digit\":\"5\"}}");
        Thread.sleep(300);
        assertThat(sink.events).extracting(StreamEvent::type).containsExactly("start");

        server.resumeReading();
        assertThat(sink.awaitEvent(StreamEvent.Types.DTMF).attributes())
                .containsEntry("dtmf.digit", "5");
    }
}
