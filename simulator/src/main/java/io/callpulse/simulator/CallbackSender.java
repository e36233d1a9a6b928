package io.callpulse.simulator;

import io.callpulse.records.plivo.PlivoSignatureV3;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Posts Plivo's stream status callbacks, form-encoded and signed as Plivo signs them, on one shared
 * HTTP client.
 */
public final class CallbackSender {

    /** Plivo's own text for a DroppedStream. */
    public static final String DROPPED_ERROR = "connection disconnected with the remote service";

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient client;
    private final URI url;
    private final String authToken;
    private final String mainAuthToken;

    /**
     * @param authToken signs {@code X-Plivo-Signature-V3}, or {@code null} for unsigned requests
     * @param mainAuthToken signs {@code X-Plivo-Signature-Ma-V3}, or {@code null} for authToken
     */
    public CallbackSender(HttpClient client, URI url, String authToken, String mainAuthToken) {
        this.client = client;
        this.url = url;
        this.authToken = authToken;
        this.mainAuthToken = mainAuthToken == null ? authToken : mainAuthToken;
    }

    /** The parameters of one callback, in Plivo's names. */
    public static Map<String, List<String>> params(
            String event,
            String callId,
            String streamId,
            String serviceUrl,
            String extraHeaders,
            String error,
            Instant at) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("Event", List.of(event));
        params.put("CallUUID", List.of(callId));
        params.put("StreamID", List.of(streamId));
        params.put("From", List.of("14155550100"));
        params.put("To", List.of("sip:callpulse-sim@phone.plivo.com"));
        params.put("ServiceURL", List.of(serviceUrl));
        params.put("ExtraHeaders", List.of(extraHeaders == null ? "" : extraHeaders));
        params.put("Timestamp", List.of(TIMESTAMP.format(at)));
        if (error != null) {
            params.put("Error", List.of(error));
        }
        return params;
    }

    public static String formBody(Map<String, List<String>> params) {
        return params.entrySet().stream()
                .flatMap(
                        e ->
                                e.getValue().stream()
                                        .map(
                                                v ->
                                                        URLEncoder.encode(
                                                                        e.getKey(),
                                                                        StandardCharsets.UTF_8)
                                                                + "="
                                                                + URLEncoder.encode(
                                                                        v, StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
    }

    /** A fresh nonce, digits as Plivo's are. */
    public static String nonce() {
        return Long.toString(Math.abs(RANDOM.nextLong() % 1_000_000_000_000_000L));
    }

    /** The signature headers for a request, empty when there is no token. */
    public static Map<String, String> signatureHeaders(
            String authToken,
            String mainAuthToken,
            String method,
            String url,
            Map<String, List<String>> params) {
        if (authToken == null) {
            return Map.of();
        }
        String nonce = nonce();
        return Map.of(
                PlivoSignatureV3.NONCE_HEADER,
                nonce,
                PlivoSignatureV3.SIGNATURE_HEADER,
                PlivoSignatureV3.compute(authToken, method, url, params, nonce),
                PlivoSignatureV3.MAIN_ACCOUNT_SIGNATURE_HEADER,
                PlivoSignatureV3.compute(
                        mainAuthToken == null ? authToken : mainAuthToken,
                        method,
                        url,
                        params,
                        nonce));
    }

    /** Posts the callback; completes with the HTTP status, or "error" when there is none. */
    public CompletableFuture<String> send(Map<String, List<String>> params) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("User-Agent", "PlivoStreamSimulator/callpulse")
                        .POST(HttpRequest.BodyPublishers.ofString(formBody(params)));
        signatureHeaders(authToken, mainAuthToken, "POST", url.toString(), params)
                .forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .handle(
                        (response, error) ->
                                error == null ? Integer.toString(response.statusCode()) : "error");
    }
}
