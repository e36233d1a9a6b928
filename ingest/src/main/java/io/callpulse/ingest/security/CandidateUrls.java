package io.callpulse.ingest.security;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The URLs a provider may have signed a request under. Proxies in front of the ingest rewrite
 * scheme, host and port, so the URL the provider called is not always the one the ingest sees: it
 * is tried as the operator configured it, and with the request's Host under each given scheme.
 */
final class CandidateUrls {

    private final String publicBaseUrl;

    /**
     * @param publicBaseUrl the URL the provider calls, such as {@code
     *     https://callpulse.example.com}, or {@code null}
     */
    CandidateUrls(String publicBaseUrl) {
        this.publicBaseUrl =
                publicBaseUrl == null || publicBaseUrl.isBlank()
                        ? null
                        : publicBaseUrl.replaceAll("/+$", "");
    }

    /**
     * @param pathAndQuery the request target as received, e.g. {@code /status?x=1}
     * @param host the request's Host header, or {@code null}
     */
    List<String> of(String pathAndQuery, String host, List<String> schemes) {
        List<String> urls = new ArrayList<>();
        if (publicBaseUrl != null) {
            urls.add(publicBaseUrl + pathAndQuery);
        }
        if (host != null && !host.isBlank()) {
            for (String scheme : schemes) {
                urls.add(scheme + "://" + host + pathAndQuery);
            }
        }
        return urls;
    }

    /**
     * As {@link #of}, and the configured URL's host under each scheme too: one public base URL
     * serves providers that call it under different schemes (Plivo's callbacks {@code https://},
     * Twilio's streams {@code wss://}).
     */
    List<String> ofAnyScheme(String pathAndQuery, String host, List<String> schemes) {
        Set<String> urls = new LinkedHashSet<>(of(pathAndQuery, host, schemes));
        if (publicBaseUrl != null) {
            URI base = URI.create(publicBaseUrl);
            if (base.getRawAuthority() != null) {
                String rest =
                        base.getRawAuthority()
                                + (base.getRawPath() == null ? "" : base.getRawPath())
                                + pathAndQuery;
                for (String scheme : schemes) {
                    urls.add(scheme + "://" + rest);
                }
            }
        }
        return new ArrayList<>(urls);
    }
}
