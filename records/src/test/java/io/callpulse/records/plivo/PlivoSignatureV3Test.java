package io.callpulse.records.plivo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The four published vectors: token {@code my_auth_token}, nonce {@code 12345} unless given. */
class PlivoSignatureV3Test {

    private static final String TOKEN = "my_auth_token";

    @Test
    void getWithoutParameters() {
        assertThat(
                        PlivoSignatureV3.compute(
                                TOKEN, "GET", "http://example.com/stream", Map.of(), "12345"))
                .isEqualTo("+ITsdlcGvjL3/bgNruCJ49WRbXheYQqvSJl2T9OkZu8=");
    }

    @Test
    void getOfAWebSocketUrlWithAQuery() {
        assertThat(
                        PlivoSignatureV3.compute(
                                TOKEN, "GET", "wss://example.com/stream?x=1", Map.of(), "12345"))
                .isEqualTo("nJTfuxKuK0EN5C2qOFHBJOCfNEbx97Ja/fWzRWqEHDQ=");
    }

    @Test
    void postWithFormParameters() {
        Map<String, List<String>> params =
                Map.of(
                        "Event", List.of("StartStream"),
                        "StreamID", List.of("abc"),
                        "CallUUID", List.of("u1"));
        assertThat(
                        PlivoSignatureV3.compute(
                                TOKEN, "POST", "https://example.com/cb", params, "12345"))
                .isEqualTo("uG5QLZfZd45mtqEZCWHcY2zKMvCIXCslxcsTodxCeGA=");
    }

    @Test
    void postWithAQueryAndFormParameters() {
        Map<String, List<String>> params =
                Map.of(
                        "CallUUID", List.of("4vbcpem8-0u46-x1ha-9af1-438vc92bf374"),
                        "Digits", List.of("1234"),
                        "From", List.of("+15551111111"),
                        "To", List.of("+15555555555"));
        assertThat(
                        PlivoSignatureV3.compute(
                                TOKEN,
                                "POST",
                                "https://example.com/abcd?foo=bar",
                                params,
                                "kjsdhfsd87sd7yisud2"))
                .isEqualTo("Nlb1ZrTN1nl3nKqEi/MmVAeWDsZ4P5YMSLcK1/yOU6o=");
    }

    @Test
    void theSignedUrlFollowsTheAlgorithm() {
        assertThat(
                        PlivoSignatureV3.signedUrl(
                                "POST",
                                "https://example.com/abcd?foo=bar",
                                Map.of("b", List.of("2", "1"), "a", List.of("x"))))
                .isEqualTo("https://example.com/abcd?foo=bar.axb1b2");
        assertThat(PlivoSignatureV3.signedUrl("POST", "https://example.com/cb", Map.of()))
                .isEqualTo("https://example.com/cb");
        assertThat(PlivoSignatureV3.signedUrl("GET", "http://h:8080/s?b=2&a=1&a=0", Map.of()))
                .isEqualTo("http://h:8080/s?a=0&a=1&b=2");
    }

    @Test
    void anyOfSeveralSignaturesInTheHeaderMatches() {
        String good = "+ITsdlcGvjL3/bgNruCJ49WRbXheYQqvSJl2T9OkZu8=";
        List<String> urls = List.of("https://example.com/stream", "http://example.com/stream");
        assertThat(PlivoSignatureV3.verify(TOKEN, "GET", urls, Map.of(), "12345", "AAAA=, " + good))
                .isTrue();
        assertThat(PlivoSignatureV3.verify(TOKEN, "GET", urls, Map.of(), "12345", "AAAA=,BBBB="))
                .isFalse();
        assertThat(PlivoSignatureV3.verify(TOKEN, "GET", urls, Map.of(), "99999", good)).isFalse();
        assertThat(PlivoSignatureV3.verify("other", "GET", urls, Map.of(), "12345", good))
                .isFalse();
        assertThat(PlivoSignatureV3.verify(TOKEN, "GET", urls, Map.of(), "12345", null)).isFalse();
    }
}
