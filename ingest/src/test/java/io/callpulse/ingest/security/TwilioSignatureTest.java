package io.callpulse.ingest.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

    private static final String TOKEN = "12345";
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

    private static Map<String, List<String>> gatherParams(String caller) {
        return Map.of(
                "CallSid", List.of("CA1234567890ABCDE"),
                "Caller", List.of(caller),
                "Digits", List.of("1234"),
                "From", List.of(caller),
                "To", List.of("+18005551212"));
    }

    @Test
    void theWorkedExampleOfTwiliosWebhookSecurityDocumentation() {
        // the example request of twilio.com/docs/usage/security (a <Gather> POST to URL), with
        // the signature that independent implementations' tests quote from it
        assertThat(TwilioSignature.compute(TOKEN, URL, gatherParams("+14158675310")))
                .isEqualTo("GvWf1cFY/Q7PnoempGyD5oXAezc=");
    }

    @Test
    void theFixtureOfTwiliosJavaSdk() {
        // twilio/twilio-java, src/test/java/com/twilio/security/RequestValidatorTest.java
        assertThat(TwilioSignature.compute(TOKEN, URL, gatherParams("+14158675309")))
                .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    }

    @Test
    void defaultPortsAreAddedAndPortsDroppedAsTwiliosJavaSdkDoes() {
        Map<String, List<String>> params = gatherParams("+14158675309");
        // the same file's vectors: the URL signed with :443, with :80, and without :1234
        assertThat(
                        TwilioSignature.verify(
                                TOKEN, List.of(URL), params, "kvajT1Ptam85bY51eRf/AJRuM3w="))
                .isTrue();
        assertThat(
                        TwilioSignature.verify(
                                TOKEN,
                                List.of(URL.replace("https", "http")),
                                params,
                                "0ZXoZLH/DfblKGATFgpif+LLRf4="))
                .isTrue();
        assertThat(
                        TwilioSignature.verify(
                                TOKEN,
                                List.of(URL.replace(".com", ".com:1234")),
                                params,
                                "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
                .isTrue();
    }

    @Test
    void anUpgradeSignsTheUrlAlone() {
        // no published vector signs a WebSocket URL: computed with Python's hmac and hashlib
        assertThat(TwilioSignature.compute(TOKEN, "wss://callpulse.example.com/twilio", Map.of()))
                .isEqualTo("j0NShgfQCBzU5IrL4qVPQh5oYl4=");
        assertThat(
                        TwilioSignature.verify(
                                TOKEN,
                                List.of("wss://callpulse.example.com/twilio"),
                                Map.of(),
                                "vVuVZKSSkN+y5VhmB7f0J+REoSM="))
                .as("signed with the default port :443")
                .isTrue();
    }

    @Test
    void aSignatureForAnotherUrlTokenOrParametersOrNoneIsRefused() {
        Map<String, List<String>> params = gatherParams("+14158675309");
        String signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        assertThat(TwilioSignature.verify(TOKEN, List.of(URL + "&x=1"), params, signature))
                .isFalse();
        assertThat(TwilioSignature.verify("54321", List.of(URL), params, signature)).isFalse();
        assertThat(
                        TwilioSignature.verify(
                                TOKEN, List.of(URL), gatherParams("+14158675310"), signature))
                .isFalse();
        assertThat(TwilioSignature.verify(TOKEN, List.of(URL), params, null)).isFalse();
        assertThat(TwilioSignature.verify(TOKEN, List.of(URL), params, "")).isFalse();
        assertThat(TwilioSignature.verify(TOKEN, List.of(), params, signature)).isFalse();
    }

    @Test
    void theVerifierTriesTheRequestHostAndThePublicHostUnderTwiliosSchemes() {
        TwilioRequestVerifier verifier =
                new TwilioRequestVerifier(TOKEN, "https://callpulse.example.com/");
        Map<String, String> headers =
                Map.of(
                        "Host",
                        "ingest.internal:8080",
                        TwilioRequestVerifier.SIGNATURE,
                        "j0NShgfQCBzU5IrL4qVPQh5oYl4=");
        // Twilio dialled wss://callpulse.example.com/twilio; a proxy rewrote the Host
        assertThat(verifier.verify("/twilio", headers::get, Map.of(), List.of("wss", "https")))
                .isTrue();
        assertThat(verifier.verify("/twilio", headers::get, Map.of(), List.of("https"))).isFalse();
        assertThat(verifier.verify("/stream", headers::get, Map.of(), List.of("wss", "https")))
                .isFalse();
        assertThat(verifier.verify("/twilio", name -> null, Map.of(), List.of("wss"))).isFalse();
    }

    @Test
    void withoutATokenEveryRequestPasses() {
        TwilioRequestVerifier verifier = new TwilioRequestVerifier(" ", null);
        assertThat(verifier.enforcing()).isFalse();
        assertThat(verifier.verify("/twilio", name -> null, Map.of(), List.of("wss"))).isTrue();
    }
}
