package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published V3 test vectors (token my_auth_token). */
class PlivoSignerTest {

    private static final String TOKEN = "my_auth_token";

    @Test
    void signsAnUpgradeWithoutQuery() {
        assertThat(PlivoSigner.sign(TOKEN, "GET", "http://example.com/stream", Map.of(), "12345"))
                .isEqualTo("+ITsdlcGvjL3/bgNruCJ49WRbXheYQqvSJl2T9OkZu8=");
    }

    @Test
    void signsAWebSocketUpgradeWithItsQuery() {
        assertThat(PlivoSigner.signedUrl("GET", "wss://example.com/stream?x=1", Map.of()))
                .isEqualTo("wss://example.com/stream?x=1");
        assertThat(
                        PlivoSigner.sign(
                                TOKEN, "GET", "wss://example.com/stream?x=1", Map.of(), "12345"))
                .isEqualTo("nJTfuxKuK0EN5C2qOFHBJOCfNEbx97Ja/fWzRWqEHDQ=");
    }

    @Test
    void signsAStatusCallback() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("StreamID", List.of("abc"));
        params.put("Event", List.of("StartStream"));
        params.put("CallUUID", List.of("u1"));
        assertThat(PlivoSigner.signedUrl("POST", "https://example.com/cb", params))
                .isEqualTo("https://example.com/cb?CallUUIDu1EventStartStreamStreamIDabc");
        assertThat(PlivoSigner.sign(TOKEN, "POST", "https://example.com/cb", params, "12345"))
                .isEqualTo("uG5QLZfZd45mtqEZCWHcY2zKMvCIXCslxcsTodxCeGA=");
    }

    @Test
    void signsAPostToAUrlWithAQuery() {
        Map<String, List<String>> params =
                Map.of(
                        "CallUUID", List.of("4vbcpem8-0u46-x1ha-9af1-438vc92bf374"),
                        "Digits", List.of("1234"),
                        "From", List.of("+15551111111"),
                        "To", List.of("+15555555555"));
        assertThat(
                        PlivoSigner.sign(
                                TOKEN,
                                "POST",
                                "https://example.com/abcd?foo=bar",
                                params,
                                "kjsdhfsd87sd7yisud2"))
                .isEqualTo("Nlb1ZrTN1nl3nKqEi/MmVAeWDsZ4P5YMSLcK1/yOU6o=");
    }
}
