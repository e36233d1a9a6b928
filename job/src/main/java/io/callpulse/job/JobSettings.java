package io.callpulse.job;

import io.callpulse.records.TopicNames;
import io.callpulse.udf.vad.AdaptiveEnergyVad;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.util.ParameterTool;

/**
 * The job's arguments, with their defaults.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers} ({@code --bootstrap-servers})
 * @param groupId the consumer group of the sources ({@code --group-id})
 * @param topics topic names ({@code --topic-audio}, {@code --topic-events}, {@code
 *     --topic-metrics}, {@code --topic-deadletter})
 * @param windowMs the metrics window ({@code --window-ms}, default 1000)
 * @param outOfOrderness how far media time may go backwards before a frame is late ({@code
 *     --out-of-orderness-ms}, default 200)
 * @param watermarkInterval how often the sources emit a watermark, which bounds how long a closed
 *     window waits to be noticed ({@code --watermark-interval-ms}, default 50)
 * @param idleness after how long without records a Kafka partition stops holding back the watermark
 *     ({@code --idleness-ms}, default 5000)
 * @param checkpointInterval how often state is checkpointed, which is also how often the
 *     exactly-once outputs become visible ({@code --checkpoint-interval-ms}, default 500)
 * @param maxParallelism the number of key groups, fixed for the life of the job's state ({@code
 *     --max-parallelism}, default 128)
 * @param fromEarliest read topics from the beginning when the group has no committed offsets, else
 *     from the end ({@code --from-earliest}, default true)
 * @param analysis the analysis thresholds
 * @param alerting when the lifecycle alerts fire
 */
public record JobSettings(
        String bootstrapServers,
        String groupId,
        TopicNames topics,
        long windowMs,
        Duration outOfOrderness,
        Duration watermarkInterval,
        Duration idleness,
        Duration checkpointInterval,
        int maxParallelism,
        boolean fromEarliest,
        AnalysisSettings analysis,
        AlertSettings alerting)
        implements Serializable {

    public static JobSettings fromArgs(String[] args) {
        ParameterTool params = ParameterTool.fromArgs(args);
        return new JobSettings(
                params.get("bootstrap-servers", "localhost:9092"),
                params.get("group-id", "callpulse-job"),
                TopicNames.fromLookup(key -> params.get(key.replace('.', '-'))),
                positive(params, "window-ms", 1000),
                Duration.ofMillis(positive(params, "out-of-orderness-ms", 200)),
                Duration.ofMillis(positive(params, "watermark-interval-ms", 50)),
                Duration.ofMillis(positive(params, "idleness-ms", 5000)),
                Duration.ofMillis(positive(params, "checkpoint-interval-ms", 500)),
                (int) positive(params, "max-parallelism", 128),
                params.getBoolean("from-earliest", true),
                new AnalysisSettings(
                        AnalysisSettings.Vad.fromArgument(
                                params.get("vad", AnalysisSettings.Vad.LEARNED.argument())),
                        nonNegative(params, "vad-hangover-ms", 200),
                        positive(params, "dead-air-ms", 3_000),
                        positive(params, "interruption-ms", 500),
                        (int) positive(params, "reorder-chunks", 5),
                        number(params, "vad-margin-db", AdaptiveEnergyVad.DEFAULT_MARGIN_DB),
                        number(
                                params,
                                "vad-min-speech-dbfs",
                                AdaptiveEnergyVad.DEFAULT_MIN_SPEECH_DBFS)),
                new AlertSettings(
                        positive(params, "stall-ms", 5_000),
                        positive(params, "no-media-ms", 5_000),
                        positive(params, "drop-grace-ms", 5_000),
                        positive(params, "idle-timeout-ms", 600_000),
                        positive(params, "dead-air-alert-ms", 10_000),
                        positive(params, "one-way-ms", 30_000),
                        positive(params, "slow-response-ms", 3_000),
                        ratio(params, "clipping-ratio", 0.01),
                        positive(params, "clipping-ms", 5_000)));
    }

    private static double number(ParameterTool params, String name, double fallback) {
        String raw = params.get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + ": expected a number, found '" + raw + "'", e);
        }
    }

    private static double ratio(ParameterTool params, String name, double fallback) {
        double value;
        try {
            value = number(params, name, fallback);
        } catch (IllegalArgumentException e) {
            value = Double.NaN;
        }
        if (value > 0 && value < 1) {
            return value;
        }
        throw new IllegalArgumentException(
                "--"
                        + name
                        + ": expected a ratio between 0 and 1, found '"
                        + params.get(name)
                        + "'");
    }

    private static long nonNegative(ParameterTool params, String name, long fallback) {
        return params.get(name) != null && params.get(name).trim().equals("0")
                ? 0
                : positive(params, name, fallback);
    }

    private static long positive(ParameterTool params, String name, long fallback) {
        String raw = params.get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--" + name + ": expected a positive integer, found '" + raw + "'");
    }
}
