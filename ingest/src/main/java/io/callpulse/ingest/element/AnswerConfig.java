package io.callpulse.ingest.element;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What the ingest's answer URL ({@code /answer}) returns to Plivo, read from the {@code
 * callpulse.answer.*} settings.
 *
 * @param template the {@code <Stream>} element every answer carries
 * @param forwardCallParameters whether the call's {@code CallUUID}, {@code From} and {@code To}
 *     join the template's extraHeaders (see {@link AnswerHandler})
 */
public record AnswerConfig(StreamElement template, boolean forwardCallParameters) {

    public AnswerConfig {
        Objects.requireNonNull(template, "template");
    }

    /**
     * Reads {@code callpulse.answer.stream.url} and the optional {@code audio.track}, {@code
     * content.type}, {@code status.callback.url}, {@code bidirectional}, {@code stream.timeout},
     * {@code extra.headers}, {@code keep.call.alive} (default {@code true}) and {@code
     * forward.call.parameters} (default {@code false}) under the same prefix.
     *
     * @param lookup a setting's value by its key, {@code null} when unset
     * @return {@code null} when no stream URL is set: the ingest then serves no answer URL
     * @throws IllegalArgumentException naming every setting that breaks a rule of the element
     */
    public static AnswerConfig fromLookup(UnaryOperator<String> lookup) {
        UnaryOperator<String> setting = key -> valueOrNull(lookup.apply("callpulse.answer." + key));
        String url = setting.apply("stream.url");
        if (url == null) {
            return null;
        }
        String keepCallAlive = setting.apply("keep.call.alive");
        StreamElement template;
        try {
            template =
                    StreamElement.builder(url)
                            .bidirectional(setting.apply("bidirectional"))
                            .audioTrack(setting.apply("audio.track"))
                            .streamTimeout(setting.apply("stream.timeout"))
                            .statusCallbackUrl(setting.apply("status.callback.url"))
                            .contentType(setting.apply("content.type"))
                            .extraHeaders(setting.apply("extra.headers"))
                            // the answer holds nothing after the element: without this, Plivo
                            // would run off the end of the XML and hang up as the stream starts
                            .keepCallAlive(keepCallAlive == null ? "true" : keepCallAlive)
                            .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("callpulse.answer.*: " + e.getMessage(), e);
        }
        String forward = setting.apply("forward.call.parameters");
        if (forward != null && !forward.equals("true") && !forward.equals("false")) {
            throw new IllegalArgumentException(
                    "callpulse.answer.forward.call.parameters: expected true or false, found "
                            + forward);
        }
        return new AnswerConfig(template, "true".equals(forward));
    }

    private static String valueOrNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
