package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.records.plivo.PlivoSignatureV3;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbackSenderTest {

    private static final Map<String, List<String>> DROPPED =
            CallbackSender.params(
                    "DroppedStream",
                    "u1",
                    "abc",
                    "wss://example.com/stream",
                    "a=1,b=2",
                    CallbackSender.DROPPED_ERROR,
                    Instant.parse("2024-10-14T13:42:33.456Z"));

    @Test
    void aDroppedStreamCallbackHasPlivosParameters() {
        assertThat(DROPPED)
                .containsExactly(
                        Map.entry("Event", List.of("DroppedStream")),
                        Map.entry("CallUUID", List.of("u1")),
                        Map.entry("StreamID", List.of("abc")),
                        Map.entry("From", List.of("14155550100")),
                        Map.entry("To", List.of("sip:callpulse-sim@phone.plivo.com")),
                        Map.entry("ServiceURL", List.of("wss://example.com/stream")),
                        Map.entry("ExtraHeaders", List.of("a=1,b=2")),
                        Map.entry("Timestamp", List.of("2024-10-14 13:42:33")),
                        Map.entry(
                                "Error",
                                List.of("connection disconnected with the remote service")));
    }

    @Test
    void theBodyIsFormEncoded() {
        assertThat(CallbackSender.formBody(DROPPED))
                .isEqualTo(
                        "Event=DroppedStream&CallUUID=u1&StreamID=abc&From=14155550100"
                                + "&To=sip%3Acallpulse-sim%40phone.plivo.com"
                                + "&ServiceURL=wss%3A%2F%2Fexample.com%2Fstream"
                                + "&ExtraHeaders=a%3D1%2Cb%3D2&Timestamp=2024-10-14+13%3A42%3A33"
                                + "&Error=connection+disconnected+with+the+remote+service");
    }

    @Test
    void theHeadersSignWithBothTokensUnderOneNonce() {
        Map<String, String> headers =
                CallbackSender.signatureHeaders(
                        "my_auth_token", "main_token", "POST", "https://example.com/cb", DROPPED);
        String nonce = headers.get("X-Plivo-Signature-V3-Nonce");
        assertThat(nonce).matches("[0-9]+");
        assertThat(headers)
                .containsOnlyKeys(
                        "X-Plivo-Signature-V3-Nonce",
                        "X-Plivo-Signature-V3",
                        "X-Plivo-Signature-Ma-V3")
                .containsEntry(
                        "X-Plivo-Signature-V3",
                        PlivoSignatureV3.compute(
                                "my_auth_token", "POST", "https://example.com/cb", DROPPED, nonce))
                .containsEntry(
                        "X-Plivo-Signature-Ma-V3",
                        PlivoSignatureV3.compute(
                                "main_token", "POST", "https://example.com/cb", DROPPED, nonce));
        assertThat(CallbackSender.signatureHeaders(null, null, "GET", "ws://x/stream", Map.of()))
                .isEmpty();
    }
}
