package io.callpulse.ingest.plivo;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.ingest.CollectingSink;
import io.callpulse.records.AudioRecord;
import io.callpulse.records.Track;
import io.callpulse.simulator.PlivoCall;
import io.callpulse.simulator.PlivoMessages;
import io.callpulse.simulator.StreamFormat;
import io.callpulse.simulator.SyntheticAudio;
import org.junit.jupiter.api.Test;

/** What the simulator plays is exactly what the ingest accepts, in every format. */
class SimulatorConformanceTest {

    @Test
    void theSimulatorsMessagesAreAcceptedInEveryFormat() {
        for (StreamFormat format : StreamFormat.values()) {
            short[] tone = SyntheticAudio.at(format.sampleRate()).tone(1000, -20, 40).build();
            PlivoCall call = new PlivoCall("s-" + format, "c", format, tone, null, "a=1,b=2");
            CollectingSink sink = new CollectingSink();
            PlivoStreamHandler handler = new PlivoStreamHandler(sink, () -> 1_000L);

            handler.onText(PlivoMessages.start(call, 1));
            int perMessage = call.samplesPerMessage();
            byte[] payload = format.encode(tone, perMessage, perMessage);
            handler.onText(PlivoMessages.media(call, 2, "inbound", 1_700_000_000_020L, 2, payload));

            assertThat(sink.deadLetters).as(format.name()).isEmpty();
            assertThat(sink.events.get(0).encoding()).isEqualTo(format.encoding().mimeType());
            assertThat(sink.events.get(0).sampleRate()).isEqualTo(format.sampleRate());
            assertThat(sink.events.get(0).extraHeaders())
                    .containsEntry("a", "1")
                    .containsEntry("b", "2");
            assertThat(sink.audio)
                    .containsExactly(
                            AudioRecord.audio(
                                    "s-" + format,
                                    Track.INBOUND,
                                    format.encoding(),
                                    format.sampleRate(),
                                    2,
                                    1,
                                    1_700_000_000_020L,
                                    1_000L,
                                    payload));
            assertThat(payload).hasSize(perMessage * format.encoding().bytesPerSample());
        }
    }
}
