package io.callpulse.ingest.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides whether a request (a Media Streams WebSocket upgrade) was signed by Twilio with the
 * configured auth token. Without a token every request passes: the service then warns at start.
 */
public final class TwilioRequestVerifier {

    public static final String SIGNATURE = "X-Twilio-Signature";

    private final String authToken;
    private final CandidateUrls candidateUrls;

    /**
     * @param authToken the Twilio auth token, or {@code null} to accept unsigned requests
     * @param publicBaseUrl the public base URL, such as {@code https://callpulse.example.com}, when
     *     a proxy in front changes scheme, host or port; or {@code null}. Its host is tried under
     *     each scheme, so the one setting serves Plivo's callbacks and Twilio's streams.
     */
    public TwilioRequestVerifier(String authToken, String publicBaseUrl) {
        this.authToken = authToken == null || authToken.isBlank() ? null : authToken;
        this.candidateUrls = new CandidateUrls(publicBaseUrl);
    }

    public boolean enforcing() {
        return authToken != null;
    }

    /**
     * @param pathAndQuery the request target as received, e.g. {@code /twilio}
     * @param header reads a request header by name, {@code null} when absent
     * @param params the form body's parameters (POST); none for an upgrade
     * @param schemes the schemes Twilio may have signed with
     */
    public boolean verify(
            String pathAndQuery,
            Function<String, String> header,
            Map<String, ? extends Collection<String>> params,
            List<String> schemes) {
        if (authToken == null) {
            return true;
        }
        return TwilioSignature.verify(
                authToken,
                candidateUrls.ofAnyScheme(pathAndQuery, header.apply("Host"), schemes),
                params,
                header.apply(SIGNATURE));
    }
}
