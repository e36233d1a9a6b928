package io.callpulse.job;

import java.io.Serializable;

/**
 * When the lifecycle alerts fire, each a job argument.
 *
 * @param stallMs an open stream without media this long is STREAM_STALLED ({@code --stall-ms},
 *     default 5000)
 * @param noMediaMs a started stream without any media this long is NO_MEDIA ({@code --no-media-ms},
 *     default 5000)
 * @param dropGraceMs after an abnormal socket close, how long a StopStream may still come before
 *     the stream counts as dropped ({@code --drop-grace-ms}, default 5000)
 * @param idleTimeoutMs a stream with no record at all this long is forgotten, ended or not ({@code
 *     --idle-timeout-ms}, default 600000)
 * @param deadAirMs both parties silent this long is DEAD_AIR ({@code --dead-air-alert-ms}, default
 *     10000)
 * @param oneWayMs one party silent this long while the other spoke is ONE_WAY_AUDIO ({@code
 *     --one-way-ms}, default 30000)
 * @param slowResponseMs an agent response slower than this is SLOW_RESPONSE ({@code
 *     --slow-response-ms}, default 3000)
 * @param clippingRatio a window whose clipping ratio is above this clips ({@code --clipping-ratio},
 *     default 0.01)
 * @param clippingMs clipping windows in a row for this long are CLIPPING ({@code --clipping-ms},
 *     default 5000)
 */
public record AlertSettings(
        long stallMs,
        long noMediaMs,
        long dropGraceMs,
        long idleTimeoutMs,
        long deadAirMs,
        long oneWayMs,
        long slowResponseMs,
        double clippingRatio,
        long clippingMs)
        implements Serializable {

    public static final AlertSettings DEFAULTS =
            new AlertSettings(5_000, 5_000, 5_000, 600_000, 10_000, 30_000, 3_000, 0.01, 5_000);

    public AlertSettings {
        if (stallMs <= 0 || noMediaMs <= 0 || dropGraceMs <= 0 || idleTimeoutMs <= 0) {
            throw new IllegalArgumentException(
                    "alert timings: expected positive durations, found stall "
                            + stallMs
                            + ", no media "
                            + noMediaMs
                            + ", drop grace "
                            + dropGraceMs
                            + ", idle timeout "
                            + idleTimeoutMs);
        }
        if (idleTimeoutMs <= Math.max(stallMs, Math.max(noMediaMs, dropGraceMs))) {
            throw new IllegalArgumentException(
                    "--idle-timeout-ms: expected more than the stall, no-media and drop-grace"
                            + " times, found "
                            + idleTimeoutMs);
        }
    }
}
