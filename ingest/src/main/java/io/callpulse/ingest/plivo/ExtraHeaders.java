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

    /**
     * The start event's attribute that keeps an {@code extra_headers} the ingest could not read, as
     * it arrived; the event's extra headers are then empty.
     */
    public static final String RAW_ATTRIBUTE = "extra_headers.raw";

    private ExtraHeaders() {}

    /**
     * Reads {@code extra_headers} as it arrives on a message: a string in any of the forms {@link
     * #parse} reads, or (as some senders put it) a JSON object; absent or null is empty.
     *
     * @throws IllegalArgumentException naming the malformed part
     */
    public static Map<String, String> read(JsonNode node) {
        if (node.isObject()) {
            return fromObject(node);
        }
        if (node.isMissingNode() || node.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(
                    "extra_headers: expected a string of key=value pairs or an object, found "
                            + node);
        }
        return parse(node.asText());
    }

    /** An object's fields in order, nested values kept as their JSON. */
    private static Map<String, String> fromObject(JsonNode object) {
        Map<String, String> headers = new LinkedHashMap<>();
        object.fields()
                .forEachRemaining(
                        field ->
                                headers.put(
                                        field.getKey(),
                                        field.getValue().isValueNode()
                                                ? field.getValue().asText()
                                                : field.getValue().toString()));
        return headers;
    }

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
            return fromObject(object);
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
