package io.callpulse.records.plivo;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Plivo's request signature, version 3 ({@code X-Plivo-Signature-V3}, {@code
 * X-Plivo-Signature-Ma-V3}, with {@code X-Plivo-Signature-V3-Nonce}), computed from the algorithm:
 *
 * <pre>
 * base = scheme "://" authority path                      (the query removed)
 * GET:  the query's parameters join the request's; q = k=v pairs, keys sorted and each key's
 *       values sorted, joined by "&amp;"; signed = base ["?" q when q is not empty]
 * POST without body parameters: as GET
 * POST with body parameters: signed = base "?" [q "." when the URL has a query]
 *       then every key and value concatenated without separators, keys and values sorted
 * signature = base64(HMAC-SHA256(auth token, signed "." nonce))
 * </pre>
 */
public final class PlivoSignatureV3 {

    /** The headers that carry a request's signatures and its nonce. */
    public static final String SIGNATURE_HEADER = "X-Plivo-Signature-V3";

    public static final String MAIN_ACCOUNT_SIGNATURE_HEADER = "X-Plivo-Signature-Ma-V3";
    public static final String NONCE_HEADER = "X-Plivo-Signature-V3-Nonce";

    private PlivoSignatureV3() {}

    /**
     * @param method GET or POST
     * @param url the URL as Plivo called it, with any query
     * @param params the request's parameters: for POST the form body; for GET, none needed (the
     *     query is read from the URL)
     */
    public static String compute(
            String authToken,
            String method,
            String url,
            Map<String, ? extends Collection<String>> params,
            String nonce) {
        String signed = signedUrl(method, url, params) + "." + nonce;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Whether any of the comma-separated signatures in {@code header} is the signature of the
     * request at any of the candidate URLs (proxies rewrite scheme, host and port, so the URL Plivo
     * signed is not always the one the server sees).
     */
    public static boolean verify(
            String authToken,
            String method,
            List<String> candidateUrls,
            Map<String, ? extends Collection<String>> params,
            String nonce,
            String header) {
        if (header == null || header.isBlank() || nonce == null) {
            return false;
        }
        for (String url : candidateUrls) {
            byte[] expected =
                    compute(authToken, method, url, params, nonce).getBytes(StandardCharsets.UTF_8);
            for (String offered : header.split(",")) {
                // constant time, so a forger learns nothing from how long a refusal takes
                if (MessageDigest.isEqual(
                        expected, offered.trim().getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    public static String signedUrl(
            String method, String url, Map<String, ? extends Collection<String>> params) {
        URI uri = URI.create(url);
        String base =
                uri.getScheme()
                        + "://"
                        + uri.getRawAuthority()
                        + (uri.getRawPath() == null ? "" : uri.getRawPath());
        TreeMap<String, List<String>> query = parseQuery(uri.getRawQuery());
        boolean post = "POST".equalsIgnoreCase(method);
        if (post && !params.isEmpty()) {
            StringBuilder signed = new StringBuilder(base).append('?');
            if (!query.isEmpty()) {
                signed.append(joinQuery(query)).append('.');
            }
            for (var entry : sorted(params).entrySet()) {
                for (String value : entry.getValue()) {
                    signed.append(entry.getKey()).append(value);
                }
            }
            return signed.toString();
        }
        TreeMap<String, List<String>> all = sorted(post ? Map.of() : params);
        // the URL's query replaces a request parameter of the same name
        all.putAll(query);
        String q = joinQuery(all);
        return q.isEmpty() ? base : base + "?" + q;
    }

    private static TreeMap<String, List<String>> sorted(
            Map<String, ? extends Collection<String>> params) {
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        params.forEach(
                (k, v) -> {
                    List<String> values = new ArrayList<>(v);
                    values.sort(null);
                    sorted.put(k, values);
                });
        return sorted;
    }

    private static String joinQuery(TreeMap<String, List<String>> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, values) -> values.forEach(v -> pairs.add(k + "=" + v)));
        return String.join("&", pairs);
    }

    /** Parses a raw query the way form decoding does, keeping blank values. */
    public static TreeMap<String, List<String>> parseQuery(String rawQuery) {
        TreeMap<String, List<String>> params = new TreeMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        params.values().forEach(values -> values.sort(null));
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
