package io.callpulse.ingest.callback;

import com.sun.net.httpserver.HttpExchange;
import io.callpulse.ingest.security.PlivoRequestVerifier;
import io.callpulse.records.plivo.PlivoSignatureV3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request Plivo makes to the HTTP side (a status callback, an answer URL): GET with its
 * parameters in the query, or POST with them in a form body. It is read once, here, so that the
 * signature check and the handler see the same parameters.
 */
public final class PlivoHttpRequest {

    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String UNSIGNED = "signature: X-Plivo-Signature-V3 missing or wrong\n";
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpExchange exchange;
    private final String method;
    private final String target;
    private final String body;
    private final TreeMap<String, List<String>> form;

    private PlivoHttpRequest(
            HttpExchange exchange,
            String method,
            String target,
            String body,
            TreeMap<String, List<String>> form) {
        this.exchange = exchange;
        this.method = method;
        this.target = target;
        this.body = body;
        this.form = form;
    }

    /**
     * Reads the request, or answers it with 405 (neither GET nor POST) or 413 (a body over 64 KB)
     * and returns empty.
     */
    public static Optional<PlivoHttpRequest> read(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("POST") && !method.equals("GET")) {
            respond(exchange, 405, TEXT, "method: expected GET or POST\n");
            return Optional.empty();
        }
        String target = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawQuery != null) {
            target += "?" + rawQuery;
        }
        String body = null;
        if (method.equals("POST")) {
            byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                respond(
                        exchange,
                        413,
                        TEXT,
                        "body: expected at most " + MAX_BODY_BYTES + " bytes\n");
                return Optional.empty();
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        TreeMap<String, List<String>> form =
                body == null ? new TreeMap<>() : PlivoSignatureV3.parseQuery(body);
        return Optional.of(new PlivoHttpRequest(exchange, method, target, body, form));
    }

    /** Whether Plivo signed this request; always true when the verifier has no token. */
    public boolean signedBy(PlivoRequestVerifier verifier) {
        // Plivo signs with the URL it was given; behind a proxy that may be https or http
        return verifier.verify(
                method,
                target,
                name -> exchange.getRequestHeaders().getFirst(name),
                form,
                List.of("https", "http"));
    }

    /** The query's parameters, and the form's over them. */
    public Map<String, List<String>> params() {
        Map<String, List<String>> params =
                new TreeMap<>(PlivoSignatureV3.parseQuery(exchange.getRequestURI().getRawQuery()));
        params.putAll(form);
        return params;
    }

    /** The request as received (method, target and body), for a dead letter. */
    public String raw() {
        return method + " " + target + (body == null ? "" : "\n" + body);
    }

    public static void respond(HttpExchange exchange, int status, String contentType, String text)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
