package io.callpulse.ingest.element;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Plivo's {@code <Stream>} XML element: the WebSocket URL Plivo streams a call's audio to, and the
 * attributes that shape the stream. Immutable; built and checked by {@link #builder(String)}.
 *
 * <p>Only the attributes that were set are written, so Plivo's defaults apply to the others. They
 * are written in this order, the order of Plivo's attribute table: {@code bidirectional}, {@code
 * audioTrack}, {@code streamTimeout}, {@code statusCallbackUrl}, {@code statusCallbackMethod},
 * {@code contentType}, {@code extraHeaders}, {@code keepCallAlive}, {@code noiseCancellation},
 * {@code noiseCancellationLevel}.
 */
public final class StreamElement {

    public static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    public static final int MAX_EXTRA_HEADERS_BYTES = 512;
    public static final int MIN_NOISE_CANCELLATION_LEVEL = 60;
    public static final int MAX_NOISE_CANCELLATION_LEVEL = 100;

    private static final Pattern LETTERS_AND_DIGITS = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern EXTRA_HEADERS =
            Pattern.compile("[A-Za-z0-9]+=[A-Za-z0-9]+(,[A-Za-z0-9]+=[A-Za-z0-9]+)*");
    private static final Pattern POSITIVE_INTEGER = Pattern.compile("[1-9][0-9]{0,9}");
    private static final Pattern SMALL_INTEGER = Pattern.compile("[0-9]{1,3}");

    /** The attributes, declared in the order they are written. */
    enum Attribute {
        BIDIRECTIONAL("bidirectional"),
        AUDIO_TRACK("audioTrack"),
        STREAM_TIMEOUT("streamTimeout"),
        STATUS_CALLBACK_URL("statusCallbackUrl"),
        STATUS_CALLBACK_METHOD("statusCallbackMethod"),
        CONTENT_TYPE("contentType"),
        EXTRA_HEADERS("extraHeaders"),
        KEEP_CALL_ALIVE("keepCallAlive"),
        NOISE_CANCELLATION("noiseCancellation"),
        NOISE_CANCELLATION_LEVEL("noiseCancellationLevel");

        final String xmlName;

        Attribute(String xmlName) {
            this.xmlName = xmlName;
        }
    }

    private final String url;
    private final EnumMap<Attribute, String> attributes;

    private StreamElement(String url, EnumMap<Attribute, String> attributes) {
        this.url = url;
        this.attributes = attributes;
    }

    /**
     * @param url the {@code ws://} or {@code wss://} URL Plivo opens the WebSocket to
     */
    public static Builder builder(String url) {
        return new Builder(url, new EnumMap<>(Attribute.class));
    }

    /** A builder holding this element's URL and attributes, to derive another element. */
    public Builder toBuilder() {
        return new Builder(url, new EnumMap<>(attributes));
    }

    public String url() {
        return url;
    }

    /** The attributes that were set, by their XML names, in the order they are written. */
    public Map<String, String> attributes() {
        Map<String, String> byName = new LinkedHashMap<>();
        attributes.forEach((attribute, value) -> byName.put(attribute.xmlName, value));
        return Collections.unmodifiableMap(byName);
    }

    /** The attribute's value as written, or {@code null} when it is not set. */
    String attribute(Attribute attribute) {
        return attributes.get(attribute);
    }

    /** The element alone: {@code <Stream attribute="value" ...>url</Stream>}. */
    public String toXml() {
        StringBuilder xml = new StringBuilder("<Stream");
        attributes.forEach(
                (attribute, value) ->
                        xml.append(' ')
                                .append(attribute.xmlName)
                                .append("=\"")
                                .append(escape(value))
                                .append('"'));
        return xml.append('>').append(escape(url)).append("</Stream>").toString();
    }

    /**
     * The element as a whole Plivo XML document, laid out as Plivo's examples are: the XML
     * declaration, then the element inside {@code <Response>}.
     */
    public String toResponseXml() {
        return XML_DECLARATION + "\n<Response>\n\t" + toXml() + "\n</Response>";
    }

    /** Whether the text is letters and digits only, as Plivo requires of extraHeaders. */
    static boolean isLettersAndDigits(String text) {
        return LETTERS_AND_DIGITS.matcher(text).matches();
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamElement element
                && url.equals(element.url)
                && attributes.equals(element.attributes);
    }

    @Override
    public int hashCode() {
        return 31 * url.hashCode() + attributes.hashCode();
    }

    @Override
    public String toString() {
        return toXml();
    }

    /**
     * Sets attributes, typed or from strings (configuration); a {@code null} string leaves the
     * attribute unset. Nothing is checked until {@link #build()}, which checks every rule at once.
     */
    public static final class Builder {

        private final String url;
        private final EnumMap<Attribute, String> values;

        private Builder(String url, EnumMap<Attribute, String> values) {
            this.url = url;
            this.values = values;
        }

        private Builder set(Attribute attribute, String value) {
            if (value == null) {
                values.remove(attribute);
            } else {
                values.put(attribute, value);
            }
            return this;
        }

        /** Whether the server may also send audio back (read/write) rather than only listen. */
        public Builder bidirectional(boolean bidirectional) {
            return bidirectional(String.valueOf(bidirectional));
        }

        /** {@code true} or {@code false}. */
        public Builder bidirectional(String bidirectional) {
            return set(Attribute.BIDIRECTIONAL, bidirectional);
        }

        public Builder audioTrack(AudioTrack audioTrack) {
            return audioTrack(audioTrack.wireName());
        }

        /** {@code inbound}, {@code outbound} or {@code both}. */
        public Builder audioTrack(String audioTrack) {
            return set(Attribute.AUDIO_TRACK, audioTrack);
        }

        /** The most seconds Plivo streams for; a positive integer. */
        public Builder streamTimeout(int seconds) {
            return streamTimeout(String.valueOf(seconds));
        }

        /** The most seconds Plivo streams for, as digits. */
        public Builder streamTimeout(String seconds) {
            return set(Attribute.STREAM_TIMEOUT, seconds);
        }

        /** An {@code http://} or {@code https://} URL told when the stream starts and stops. */
        public Builder statusCallbackUrl(String statusCallbackUrl) {
            return set(Attribute.STATUS_CALLBACK_URL, statusCallbackUrl);
        }

        public Builder statusCallbackMethod(StatusCallbackMethod method) {
            return statusCallbackMethod(method.wireName());
        }

        /** {@code GET} or {@code POST}. */
        public Builder statusCallbackMethod(String method) {
            return set(Attribute.STATUS_CALLBACK_METHOD, method);
        }

        public Builder contentType(ContentType contentType) {
            return contentType(contentType.wireName());
        }

        /**
         * {@code audio/x-l16;rate=8000}, {@code audio/x-l16;rate=16000} or {@code
         * audio/x-mulaw;rate=8000}.
         */
        public Builder contentType(String contentType) {
            return set(Attribute.CONTENT_TYPE, contentType);
        }

        /**
         * Pairs Plivo passes on to the WebSocket, such as {@code campaign=spring,agent=42}: keys
         * and values of letters and digits, at most 512 bytes in all.
         */
        public Builder extraHeaders(String extraHeaders) {
            return set(Attribute.EXTRA_HEADERS, extraHeaders);
        }

        /** Whether the XML after this element waits until the stream ends. */
        public Builder keepCallAlive(boolean keepCallAlive) {
            return keepCallAlive(String.valueOf(keepCallAlive));
        }

        /** {@code true} or {@code false}. */
        public Builder keepCallAlive(String keepCallAlive) {
            return set(Attribute.KEEP_CALL_ALIVE, keepCallAlive);
        }

        public Builder noiseCancellation(boolean noiseCancellation) {
            return noiseCancellation(String.valueOf(noiseCancellation));
        }

        /** {@code true} or {@code false}. */
        public Builder noiseCancellation(String noiseCancellation) {
            return set(Attribute.NOISE_CANCELLATION, noiseCancellation);
        }

        /** How strongly noise is cancelled, from 60 to 100 (Plivo's default is 85). */
        public Builder noiseCancellationLevel(int level) {
            return noiseCancellationLevel(String.valueOf(level));
        }

        /** From 60 to 100, as digits. */
        public Builder noiseCancellationLevel(String level) {
            return set(Attribute.NOISE_CANCELLATION_LEVEL, level);
        }

        /**
         * @throws IllegalArgumentException naming, for every rule broken, the attribute, what is
         *     allowed and the value found; several are separated by {@code "; "}
         */
        public StreamElement build() {
            List<String> violations = new ArrayList<>();
            if (!isUrl(url, "ws", "wss")) {
                violations.add("url: expected a ws:// or wss:// URL with a host, " + found(url));
            }
            checkBoolean(Attribute.BIDIRECTIONAL, violations);
            String track = values.get(Attribute.AUDIO_TRACK);
            boolean knownTrack =
                    checkOneOf(
                            Attribute.AUDIO_TRACK,
                            AudioTrack.values(),
                            AudioTrack::wireName,
                            violations);
            if (knownTrack
                    && "true".equals(values.get(Attribute.BIDIRECTIONAL))
                    && !track.equals(AudioTrack.INBOUND.wireName())) {
                violations.add(
                        "audioTrack: expected inbound when bidirectional is true, " + found(track));
            }
            String timeout = values.get(Attribute.STREAM_TIMEOUT);
            if (timeout != null
                    && !(POSITIVE_INTEGER.matcher(timeout).matches()
                            && Long.parseLong(timeout) <= Integer.MAX_VALUE)) {
                violations.add(
                        "streamTimeout: expected a positive integer (seconds), " + found(timeout));
            }
            String callbackUrl = values.get(Attribute.STATUS_CALLBACK_URL);
            if (callbackUrl != null && !isUrl(callbackUrl, "http", "https")) {
                violations.add(
                        "statusCallbackUrl: expected an http:// or https:// URL with a host, "
                                + found(callbackUrl));
            }
            checkOneOf(
                    Attribute.STATUS_CALLBACK_METHOD,
                    StatusCallbackMethod.values(),
                    StatusCallbackMethod::wireName,
                    violations);
            checkOneOf(
                    Attribute.CONTENT_TYPE,
                    ContentType.values(),
                    ContentType::wireName,
                    violations);
            checkExtraHeaders(violations);
            checkBoolean(Attribute.KEEP_CALL_ALIVE, violations);
            checkBoolean(Attribute.NOISE_CANCELLATION, violations);
            String level = values.get(Attribute.NOISE_CANCELLATION_LEVEL);
            if (level != null
                    && !(SMALL_INTEGER.matcher(level).matches()
                            && Integer.parseInt(level) >= MIN_NOISE_CANCELLATION_LEVEL
                            && Integer.parseInt(level) <= MAX_NOISE_CANCELLATION_LEVEL)) {
                violations.add(
                        "noiseCancellationLevel: expected an integer from "
                                + MIN_NOISE_CANCELLATION_LEVEL
                                + " to "
                                + MAX_NOISE_CANCELLATION_LEVEL
                                + ", "
                                + found(level));
            }
            if (!violations.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", violations));
            }
            return new StreamElement(url, new EnumMap<>(values));
        }

        private void checkBoolean(Attribute attribute, List<String> violations) {
            String value = values.get(attribute);
            if (value != null && !value.equals("true") && !value.equals("false")) {
                violations.add(attribute.xmlName + ": expected true or false, " + found(value));
            }
        }

        /** Whether the attribute is set to one of the allowed values. */
        private <E extends Enum<E>> boolean checkOneOf(
                Attribute attribute,
                E[] allowed,
                Function<E, String> wireName,
                List<String> violations) {
            String value = values.get(attribute);
            if (value == null) {
                return false;
            }
            List<String> names = Arrays.stream(allowed).map(wireName).toList();
            if (!names.contains(value)) {
                violations.add(
                        attribute.xmlName
                                + ": expected one of "
                                + String.join(", ", names)
                                + ", "
                                + found(value));
                return false;
            }
            return true;
        }

        private void checkExtraHeaders(List<String> violations) {
            String value = values.get(Attribute.EXTRA_HEADERS);
            if (value == null) {
                return;
            }
            if (!EXTRA_HEADERS.matcher(value).matches()) {
                // the seed allows only [A-Za-z0-9] yet its own example has '=' and ',': the
                // characters are the pairs' keys and values
                violations.add(
                        "extraHeaders: expected comma-separated key=value pairs of letters and"
                                + " digits only, "
                                + found(value));
            }
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_EXTRA_HEADERS_BYTES) {
                violations.add(
                        "extraHeaders: expected at most "
                                + MAX_EXTRA_HEADERS_BYTES
                                + " bytes, found "
                                + bytes
                                + " bytes");
            }
        }

        private static boolean isUrl(String text, String... schemes) {
            if (text == null) {
                return false;
            }
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                return false;
            }
            return uri.getScheme() != null
                    && Arrays.asList(schemes).contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    && uri.getHost() != null
                    && !uri.getHost().isEmpty();
        }

        private static String found(String value) {
            return value == null
                    ? "found none"
                    : value.isEmpty() ? "found an empty value" : "found " + value;
        }
    }
}
