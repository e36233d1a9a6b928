package io.callpulse.ingest.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.callpulse.records.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the fields of a provider's JSON stream messages. Every failure is an {@link
 * IllegalArgumentException} whose message names the field by its dotted path and says what was
 * expected and what was found, so that it can be the reason of a dead letter as it is.
 */
public final class JsonFields {

    private JsonFields() {}

    /**
     * @throws IllegalArgumentException when {@code raw} is not JSON or not a JSON object
     */
    public static JsonNode parseObject(String raw) {
        JsonNode message;
        try {
            message = Json.mapper().readTree(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "message: not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException("message: expected a JSON object");
        }
        return message;
    }

    /**
     * The message's {@code event}.
     *
     * @throws IllegalArgumentException when it has none
     */
    public static String eventName(JsonNode message) {
        String event = message.path("event").asText("");
        if (event.isEmpty()) {
            throw new IllegalArgumentException(
                    "event: expected a string such as start or media, found none");
        }
        return event;
    }

    /**
     * @param path the dotted path of the object, for the reason; its last part is read from {@code
     *     parent}
     */
    public static JsonNode requiredObject(JsonNode parent, String path) {
        JsonNode node = parent.path(leaf(path));
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + ": expected an object");
        }
        return node;
    }

    public static String requiredText(JsonNode parent, String path) {
        JsonNode node = parent.path(leaf(path));
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new IllegalArgumentException(
                    path + ": expected a non-empty string, found " + describe(node));
        }
        return node.asText();
    }

    /** Plivo sends numbers, Twilio numeric strings: both are read. */
    public static long requiredLong(JsonNode parent, String path) {
        JsonNode node = parent.path(leaf(path));
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(
                path + ": expected an integer or a string of digits, found " + describe(node));
    }

    /** The elements of an array as text; empty when the node is not an array. */
    public static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    /**
     * Every field of an object as text, in order: nested objects flattened to dotted keys ({@code
     * dtmf.digit}), arrays kept as their JSON ({@code ["inbound"]}).
     */
    public static Map<String, String> flatten(JsonNode object) {
        Map<String, String> into = new LinkedHashMap<>();
        flatten("", object, into);
        return into;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        node.fields()
                .forEachRemaining(
                        field -> {
                            JsonNode value = field.getValue();
                            String key = prefix + field.getKey();
                            if (value.isObject()) {
                                flatten(key + ".", value, into);
                            } else if (value.isValueNode()) {
                                into.put(key, value.asText());
                            } else {
                                into.put(key, value.toString());
                            }
                        });
    }

    /**
     * {@code refused} with its message led by {@code path}, unless it names it already: a reason
     * from a parser that does not know where its value came from.
     */
    public static IllegalArgumentException prefixed(String path, IllegalArgumentException refused) {
        String message = refused.getMessage();
        return message.startsWith(path + ":")
                ? refused
                : new IllegalArgumentException(path + ": " + message, refused);
    }

    /** A node as it appeared in the message, or {@code none} when absent. */
    public static String describe(JsonNode node) {
        return node.isMissingNode() ? "none" : node.toString();
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
