package io.callpulse.ingest;

import io.callpulse.ingest.element.AnswerConfig;
import io.callpulse.ingest.kafka.KafkaRecordPublisher;
import io.callpulse.ingest.security.TlsConfig;
import io.callpulse.ingest.tap.TapRoutes;
import io.callpulse.records.TopicNames;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The ingest's settings. Each is read from a system property ({@code callpulse.ingest.port}) or
 * else an environment variable ({@code CALLPULSE_INGEST_PORT}).
 *
 * @param host the address to listen on
 * @param streamPort the WebSocket port for Plivo's streams; 0 picks a free port
 * @param httpPort the HTTP port for status callbacks and health; 0 picks a free port
 * @param kafkaBootstrapServers Kafka's {@code bootstrap.servers}
 * @param topics the topic names
 * @param authToken the Plivo auth token that signs requests, or {@code null} to accept unsigned
 *     ones (the service then warns loudly)
 * @param publicBaseUrl the base URL Plivo calls when a proxy rewrites it, or {@code null}
 * @param bufferLimitBytes bytes accepted and not yet acknowledged by Kafka above which the ingest
 *     stops reading its sockets
 * @param tls the ingest's own TLS, or {@code null} for plain {@code ws://} and {@code http://}
 * @param answer what the answer URL {@code /answer} returns, or {@code null} to serve none
 * @param twilioAuthToken the Twilio auth token that signs Media Streams upgrades, or {@code null}
 *     to accept unsigned ones (the service then warns loudly)
 * @param tapBotUrl the operator's bot that the bidirectional tap on {@code /tap} relays to, or
 *     {@code null} for no tap
 * @param audioBatchMs how much of a track's consecutive audio the ingest joins into one record, in
 *     ms (0 to {@value AudioRecordBatcher#MAX_BATCH_MS}; 0 writes one record per media message);
 *     see {@link AudioRecordBatcher}
 */
public record IngestConfig(
        String host,
        int streamPort,
        int httpPort,
        String kafkaBootstrapServers,
        TopicNames topics,
        String authToken,
        String publicBaseUrl,
        long bufferLimitBytes,
        TlsConfig tls,
        AnswerConfig answer,
        String twilioAuthToken,
        URI tapBotUrl,
        int audioBatchMs) {

    /** Settings for a local, unsigned ingest. */
    public static IngestConfig local(
            String host,
            int streamPort,
            int httpPort,
            String kafkaBootstrapServers,
            TopicNames topics) {
        return new IngestConfig(
                host,
                streamPort,
                httpPort,
                kafkaBootstrapServers,
                topics,
                null,
                null,
                KafkaRecordPublisher.DEFAULT_BUFFER_LIMIT_BYTES,
                null,
                null,
                null,
                null,
                AudioRecordBatcher.DEFAULT_BATCH_MS);
    }

    public static IngestConfig fromEnvironment() {
        UnaryOperator<String> lookup = IngestConfig::setting;
        return new IngestConfig(
                orDefault(lookup.apply("callpulse.ingest.host"), "0.0.0.0"),
                Integer.parseInt(orDefault(lookup.apply("callpulse.ingest.port"), "8080")),
                Integer.parseInt(orDefault(lookup.apply("callpulse.ingest.http.port"), "8081")),
                orDefault(lookup.apply("callpulse.kafka.bootstrap.servers"), "localhost:9092"),
                TopicNames.fromLookup(key -> lookup.apply("callpulse." + key)),
                lookup.apply("callpulse.plivo.auth.token"),
                lookup.apply("callpulse.ingest.public.base.url"),
                Long.parseLong(
                        orDefault(
                                lookup.apply("callpulse.ingest.buffer.bytes"),
                                String.valueOf(KafkaRecordPublisher.DEFAULT_BUFFER_LIMIT_BYTES))),
                tls(lookup),
                AnswerConfig.fromLookup(lookup),
                lookup.apply("callpulse.twilio.auth.token"),
                tapBotUrl(lookup),
                AudioRecordBatcher.parseBatchMs(lookup.apply(AudioRecordBatcher.SETTING)));
    }

    private static URI tapBotUrl(UnaryOperator<String> lookup) {
        String setting = "callpulse.tap.bot.url";
        String value = lookup.apply(setting);
        return value == null || value.isBlank() ? null : TapRoutes.parseBotUrl(setting, value);
    }

    private static TlsConfig tls(UnaryOperator<String> lookup) {
        String keystore = lookup.apply("callpulse.ingest.tls.keystore");
        if (keystore == null || keystore.isBlank()) {
            return null;
        }
        return new TlsConfig(
                Path.of(keystore.trim()),
                lookup.apply("callpulse.ingest.tls.keystore.password"),
                lookup.apply("callpulse.ingest.tls.keystore.type"));
    }

    /** A system property, else the environment variable of the same name in upper snake case. */
    static String setting(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
