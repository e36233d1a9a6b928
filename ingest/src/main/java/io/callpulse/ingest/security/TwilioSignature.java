package io.callpulse.ingest.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature ({@code X-Twilio-Signature}), from its webhook security documentation:
 *
 * <pre>
 * signed = the full URL Twilio called, query included
 *          then, for a POST, every body parameter's name and value concatenated without
 *          separators, names sorted (and a name's values sorted)
 * signature = base64(HMAC-SHA1(auth token, signed))
 * </pre>
 *
 * A WebSocket upgrade is a GET: only the URL is signed.
 */
public final class TwilioSignature {

    private TwilioSignature() {}

    /**
     * @param url the URL as Twilio called it, with any query
     * @param params the form body's parameters (POST); none for an upgrade
     */
    public static String compute(
            String authToken, String url, Map<String, ? extends Collection<String>> params) {
        StringBuilder signed = new StringBuilder(url);
        new TreeMap<>(params)
                .forEach(
                        (name, values) ->
                                values.stream()
                                        .sorted()
                                        .forEach(value -> signed.append(name).append(value)));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder()
                    .encodeToString(
                            mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    /**
     * Whether {@code signature} is Twilio's for the request at any of the candidate URLs, each also
     * tried without its port and with its scheme's default port, as Twilio's own validators do
     * (proxies and servers add and drop default ports).
     */
    public static boolean verify(
            String authToken,
            List<String> candidateUrls,
            Map<String, ? extends Collection<String>> params,
            String signature) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        byte[] offered = signature.trim().getBytes(StandardCharsets.UTF_8);
        for (String url : withPortVariants(candidateUrls)) {
            byte[] expected = compute(authToken, url, params).getBytes(StandardCharsets.UTF_8);
            // constant time, so a forger learns nothing from how long a refusal takes
            if (MessageDigest.isEqual(expected, offered)) {
                return true;
            }
        }
        return false;
    }

    static List<String> withPortVariants(List<String> urls) {
        Set<String> variants = new LinkedHashSet<>();
        for (String url : urls) {
            variants.add(url);
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                continue;
            }
            if (uri.getRawAuthority() == null || uri.getHost() == null) {
                continue;
            }
            int defaultPort = defaultPort(uri.getScheme());
            if (uri.getPort() != -1) {
                variants.add(withAuthority(uri, hostAndUser(uri)));
            } else if (defaultPort != -1) {
                variants.add(withAuthority(uri, hostAndUser(uri) + ":" + defaultPort));
            }
        }
        return new ArrayList<>(variants);
    }

    private static int defaultPort(String scheme) {
        if (scheme == null) {
            return -1;
        }
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> 443;
            case "http", "ws" -> 80;
            default -> -1;
        };
    }

    private static String hostAndUser(URI uri) {
        String host = uri.getHost();
        return uri.getRawUserInfo() == null ? host : uri.getRawUserInfo() + "@" + host;
    }

    private static String withAuthority(URI uri, String authority) {
        return uri.getScheme()
                + "://"
                + authority
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    }
}
