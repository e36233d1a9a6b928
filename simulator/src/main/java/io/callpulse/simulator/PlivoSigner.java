package io.callpulse.simulator;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signing side of Plivo's V3 request signature ({@code X-Plivo-Signature-V3} with {@code
 * X-Plivo-Signature-V3-Nonce}), as plivo-python's {@code signature_v3.py} defines it:
 *
 * <pre>
 * base = scheme "://" authority path                      (query removed)
 * GET:  query params merged with the request's; q = k=v pairs, keys and each key's values sorted,
 *       joined by "&amp;"; signed = base ["?" q]
 * POST: signed = base "?" [sorted query "." when the URL has one] + concat(k v, sorted)
 *       (a POST without body parameters is signed as a GET)
 * signature = base64(HMAC-SHA256(token, signed "." nonce))
 * </pre>
 *
 * Pure and dependency-free, so that the ingest's verifier can adopt it rather than keep its own.
 */
public final class PlivoSigner {

    public static final String SIGNATURE_HEADER = "X-Plivo-Signature-V3";
    public static final String MAIN_ACCOUNT_SIGNATURE_HEADER = "X-Plivo-Signature-Ma-V3";
    public static final String NONCE_HEADER = "X-Plivo-Signature-V3-Nonce";

    private PlivoSigner() {}

    /**
     * @param method GET or POST
     * @param url the URL as called, query included
     * @param params the form body's parameters (POST); for a GET, extra parameters, usually none
     */
    public static String sign(
            String authToken,
            String method,
            String url,
            Map<String, List<String>> params,
            String nonce) {
        String message = signedUrl(method, url, params) + "." + nonce;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The string that is signed before the nonce is appended. */
    public static String signedUrl(String method, String url, Map<String, List<String>> params) {
        URI uri = URI.create(url);
        StringBuilder out =
                new StringBuilder()
                        .append(uri.getScheme())
                        .append("://")
                        .append(uri.getRawAuthority())
                        .append(uri.getRawPath() == null ? "" : uri.getRawPath());
        SortedMap<String, List<String>> query = parse(uri.getRawQuery());
        if ("POST".equalsIgnoreCase(method) && !params.isEmpty()) {
            out.append('?');
            if (!query.isEmpty()) {
                out.append(pairs(query)).append('.');
            }
            sorted(params).forEach((k, values) -> values.forEach(v -> out.append(k).append(v)));
            return out.toString();
        }
        SortedMap<String, List<String>> all =
                "POST".equalsIgnoreCase(method) ? new TreeMap<>() : sorted(params);
        all.putAll(query);
        String q = pairs(all);
        return q.isEmpty() ? out.toString() : out.append('?').append(q).toString();
    }

    private static SortedMap<String, List<String>> sorted(Map<String, List<String>> params) {
        SortedMap<String, List<String>> out = new TreeMap<>();
        params.forEach(
                (k, v) -> {
                    List<String> values = new ArrayList<>(v);
                    values.sort(null);
                    out.put(k, values);
                });
        return out;
    }

    private static String pairs(SortedMap<String, List<String>> params) {
        StringBuilder out = new StringBuilder();
        params.forEach(
                (k, values) ->
                        values.forEach(
                                v ->
                                        out.append(out.isEmpty() ? "" : "&")
                                                .append(k)
                                                .append('=')
                                                .append(v)));
        return out.toString();
    }

    private static SortedMap<String, List<String>> parse(String rawQuery) {
        SortedMap<String, List<String>> out = new TreeMap<>();
        if (rawQuery == null) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k =
                    URLDecoder.decode(
                            eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v =
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        out.values().forEach(values -> values.sort(null));
        return out;
    }
}
