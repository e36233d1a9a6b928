package io.callpulse.records;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The Kafka topics callpulse reads and writes. Every module takes its names from here; each can be
 * renamed by configuration.
 *
 * @param audio binary audio records ({@link AudioRecordCodec}), key StreamID
 * @param events lifecycle events ({@link StreamEvent}, JSON), key StreamID
 * @param metrics per-window figures ({@link WindowMetrics}, JSON), key StreamID
 * @param deadLetter what could not be read, with the reason, key StreamID when known
 * @param summaries one final record per stream when it ends (JSON), key StreamID
 * @param alerts alerts as they fire and resolve ({@link Alert}, JSON), key StreamID
 */
public record TopicNames(
        String audio,
        String events,
        String metrics,
        String deadLetter,
        String summaries,
        String alerts) {

    public static final String DEFAULT_AUDIO = "callpulse.audio";
    public static final String DEFAULT_EVENTS = "callpulse.events";
    public static final String DEFAULT_METRICS = "callpulse.metrics";
    public static final String DEFAULT_DEAD_LETTER = "callpulse.deadletter";
    public static final String DEFAULT_SUMMARIES = "callpulse.summaries";
    public static final String DEFAULT_ALERTS = "callpulse.alerts";

    public TopicNames {
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(summaries, "summaries");
        Objects.requireNonNull(alerts, "alerts");
    }

    public static TopicNames defaults() {
        return new TopicNames(
                DEFAULT_AUDIO,
                DEFAULT_EVENTS,
                DEFAULT_METRICS,
                DEFAULT_DEAD_LETTER,
                DEFAULT_SUMMARIES,
                DEFAULT_ALERTS);
    }

    /**
     * Reads overrides with the given lookup, under the keys {@code topic.audio}, {@code
     * topic.events}, {@code topic.metrics}, {@code topic.deadletter}, {@code topic.summaries} and
     * {@code topic.alerts}; a missing key keeps its default.
     */
    public static TopicNames fromLookup(UnaryOperator<String> lookup) {
        return new TopicNames(
                orDefault(lookup.apply("topic.audio"), DEFAULT_AUDIO),
                orDefault(lookup.apply("topic.events"), DEFAULT_EVENTS),
                orDefault(lookup.apply("topic.metrics"), DEFAULT_METRICS),
                orDefault(lookup.apply("topic.deadletter"), DEFAULT_DEAD_LETTER),
                orDefault(lookup.apply("topic.summaries"), DEFAULT_SUMMARIES),
                orDefault(lookup.apply("topic.alerts"), DEFAULT_ALERTS));
    }

    public List<String> all() {
        return List.of(audio, events, metrics, deadLetter, summaries, alerts);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
