package io.callpulse.ingest.security;

import io.callpulse.records.plivo.PlivoSignatureV3;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides whether a request (a status callback or a WebSocket upgrade) was signed by Plivo with the
 * configured auth token. Without a token every request passes: the service then warns at start.
 */
public final class PlivoRequestVerifier {

    public static final String SIGNATURE = PlivoSignatureV3.SIGNATURE_HEADER;
    public static final String MAIN_ACCOUNT_SIGNATURE =
            PlivoSignatureV3.MAIN_ACCOUNT_SIGNATURE_HEADER;
    public static final String NONCE = PlivoSignatureV3.NONCE_HEADER;

    private final String authToken;
    private final CandidateUrls candidateUrls;

    /**
     * @param authToken the Plivo auth token, or {@code null} to accept unsigned requests
     * @param publicBaseUrl the URL Plivo calls, such as {@code https://callpulse.example.com}, when
     *     a proxy in front changes scheme, host or port; or {@code null}. Its host is tried under
     *     each scheme a request may have been signed with.
     */
    public PlivoRequestVerifier(String authToken, String publicBaseUrl) {
        this.authToken = authToken == null || authToken.isBlank() ? null : authToken;
        this.candidateUrls = new CandidateUrls(publicBaseUrl);
    }

    public boolean enforcing() {
        return authToken != null;
    }

    /**
     * @param method GET or POST
     * @param pathAndQuery the request target as received, e.g. {@code /status?x=1}
     * @param header reads a request header by name, {@code null} when absent
     * @param params the form body's parameters (POST)
     * @param schemes the schemes Plivo may have signed with, e.g. http and https for callbacks, and
     *     also wss and ws for an upgrade
     */
    public boolean verify(
            String method,
            String pathAndQuery,
            Function<String, String> header,
            Map<String, ? extends Collection<String>> params,
            List<String> schemes) {
        if (authToken == null) {
            return true;
        }
        String nonce = header.apply(NONCE);
        // the configured URL under every allowed scheme too: a wss:// upgrade and an https://
        // callback reach the one public base URL
        List<String> urls = candidateUrls.ofAnyScheme(pathAndQuery, header.apply("Host"), schemes);
        return Optional.ofNullable(header.apply(SIGNATURE))
                        .map(
                                s ->
                                        PlivoSignatureV3.verify(
                                                authToken, method, urls, params, nonce, s))
                        .orElse(false)
                || Optional.ofNullable(header.apply(MAIN_ACCOUNT_SIGNATURE))
                        .map(
                                s ->
                                        PlivoSignatureV3.verify(
                                                authToken, method, urls, params, nonce, s))
                        .orElse(false);
    }
}
