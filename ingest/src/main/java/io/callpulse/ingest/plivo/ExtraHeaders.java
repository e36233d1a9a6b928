package io.callpulse.ingest.plivo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.records.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the {@code extraHeaders} attribute as Plivo passes it on: seen as {@code a=1,b=2}, as
 * {@code a=1;b=2}, and as a JSON object string.
 */
public final class ExtraHeaders {

    private ExtraHeaders() {}

    /**
     * @return the pairs in order of appearance; empty for null or blank input
     * @throws IllegalArgumentException naming the malformed part
     */
    public static Map<String, String> parse(String raw) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return headers;
        }
        String text = raw.trim();
        if (text.startsWith("{")) {
            JsonNode object;
            try {
                object = Json.mapper().readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "extra_headers: not a valid JSON object: " + e.getOriginalMessage());
            }
            object.fields()
                    .forEachRemaining(
                            f ->
                                    headers.put(
                                            f.getKey(),
                                            f.getValue().isValueNode()
                                                    ? f.getValue().asText()
                                                    : f.getValue().toString()));
            return headers;
        }
        for (String pair : text.split("[,;]")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "extra_headers: expected key=value pairs separated by ',' or ';', found '"
                                + pair.trim()
                                + "'");
            }
            headers.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return headers;
    }
}
