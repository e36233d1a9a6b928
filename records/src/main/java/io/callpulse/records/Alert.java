package io.callpulse.records;

import java.util.Map;

/**
 * One value of the {@code callpulse.alerts} topic (JSON): a condition on a stream that began, or
 * ended. An alert is written when it fires and again when it resolves, under the same id.
 *
 * @param id deterministic: StreamID, type and the episode's start, so a re-emitted alert (after a
 *     restart) is recognisably the same one
 * @param type one of {@link Types}
 * @param severity one of {@link Severities}
 * @param state {@code FIRING} or {@code RESOLVED}
 * @param streamId the StreamID
 * @param callId Plivo's CallUUID, when known
 * @param from the caller, when a callback said
 * @param to the callee, when a callback said
 * @param extraHeaders the stream's extra headers, when known
 * @param beganAtMs epoch ms when the condition began
 * @param detectedAtMs epoch ms when the job saw it (processing time)
 * @param details what the condition is about, for people
 */
public record Alert(
        String id,
        String type,
        String severity,
        String state,
        String streamId,
        String callId,
        String from,
        String to,
        Map<String, String> extraHeaders,
        long beganAtMs,
        long detectedAtMs,
        Map<String, String> details) {

    public static final String FIRING = "FIRING";
    public static final String RESOLVED = "RESOLVED";

    /** The alert types. */
    public static final class Types {
        public static final String STREAM_DROPPED = "STREAM_DROPPED";
        public static final String STREAM_STALLED = "STREAM_STALLED";
        public static final String NO_MEDIA = "NO_MEDIA";
        public static final String DEAD_AIR = "DEAD_AIR";
        public static final String ONE_WAY_AUDIO = "ONE_WAY_AUDIO";
        public static final String STREAM_DEGRADED = "STREAM_DEGRADED";
        public static final String SLOW_RESPONSE = "SLOW_RESPONSE";
        public static final String CLIPPING = "CLIPPING";

        private Types() {}
    }

    /** How urgent an alert is. */
    public static final class Severities {
        public static final String CRITICAL = "critical";
        public static final String WARNING = "warning";

        private Severities() {}
    }

    /** How urgent each type is: a stream that is lost, or half of it, is critical. */
    public static String severityOf(String type) {
        return switch (type) {
            case Types.STREAM_DROPPED, Types.STREAM_STALLED, Types.ONE_WAY_AUDIO ->
                    Severities.CRITICAL;
            default -> Severities.WARNING;
        };
    }

    /** The deterministic id of an episode. */
    public static String idOf(String streamId, String type, long beganAtMs) {
        return streamId + ":" + type + ":" + beganAtMs;
    }
}
