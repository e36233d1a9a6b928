package io.callpulse.records;

import java.util.List;
import java.util.Map;

/**
 * One value of the {@code callpulse.events} topic (JSON): something that happened to a stream, seen
 * on its WebSocket or reported by a status callback. Fields that do not apply are absent.
 *
 * @param type what happened, one of {@link Types} or, for events Plivo sends that callpulse does
 *     not know, Plivo's own event name
 * @param source where it was seen, one of {@link Sources}
 * @param streamId Plivo's StreamID
 * @param callId Plivo's callId (CallUUID in callbacks); links a reconnect's new stream to its call
 * @param accountId Plivo's accountId
 * @param eventTimeMs epoch ms when it happened, as far as the sender says
 * @param receivedAtMs epoch ms when the ingest received it
 * @param tracks the tracks the stream carries (start)
 * @param encoding the MIME type of the audio (start)
 * @param sampleRate the sample rate of the audio (start)
 * @param extraHeaders the stream's extraHeaders, parsed into keys and values
 * @param closeCode the WebSocket close code (closed)
 * @param closeReason the WebSocket close reason (closed)
 * @param stopSeen whether a {@code stop} message came before the socket closed (closed)
 * @param attributes anything else the message carried, kept raw
 */
public record StreamEvent(
        String type,
        String source,
        String streamId,
        String callId,
        String accountId,
        Long eventTimeMs,
        long receivedAtMs,
        List<String> tracks,
        String encoding,
        Integer sampleRate,
        Map<String, String> extraHeaders,
        Integer closeCode,
        String closeReason,
        Boolean stopSeen,
        Map<String, String> attributes) {

    /** The event types callpulse knows. */
    public static final class Types {
        /** The stream's {@code start} message. */
        public static final String START = "start";

        /** The stream's {@code stop} message (not in Plivo's reference, but sent by some). */
        public static final String STOP = "stop";

        /** The stream's socket closed: the dependable end of a stream. */
        public static final String CLOSED = "closed";

        /** A DTMF digit pressed on the call. */
        public static final String DTMF = "dtmf";

        /**
         * Plivo's acknowledgement of a checkpoint ({@code playedStream}, also seen as {@code
         * played}).
         */
        public static final String PLAYED_STREAM = "playedStream";

        /** Plivo's acknowledgement of a {@code clearAudio}. */
        public static final String CLEARED_AUDIO = "clearedAudio";

        /**
         * Twilio's echo of a {@code mark}: the audio sent before it has played, or a {@code clear}
         * dropped it (unlike {@link #PLAYED_STREAM}, which only confirms playing).
         */
        public static final String MARK = "mark";

        /**
         * A checkpoint the bot sent Plivo (bidirectional tap); {@code expectedPlayedAtMs} says when
         * the audio queued before it ends, when Plivo's {@code playedStream} should follow.
         */
        public static final String CHECKPOINT = "checkpoint";

        /** The bot told Plivo to drop the audio it has not played yet (bidirectional tap). */
        public static final String CLEAR_AUDIO = "clearAudio";

        /** The bot told Plivo to send DTMF digits on the call (bidirectional tap). */
        public static final String SEND_DTMF = "sendDTMF";

        /** The tap could not reach the bot, or the bot went away; the stream was closed. */
        public static final String TAP_BOT_UNAVAILABLE = "tapBotUnavailable";

        private Types() {}
    }

    /** Where an event was seen. */
    public static final class Sources {
        public static final String WEBSOCKET = "websocket";
        public static final String STATUS_CALLBACK = "status-callback";

        private Sources() {}
    }

    /** A {@code start} seen on the WebSocket. */
    public static StreamEvent started(
            String streamId,
            String callId,
            String accountId,
            long receivedAtMs,
            List<String> tracks,
            String encoding,
            int sampleRate,
            Map<String, String> extraHeaders) {
        return new StreamEvent(
                Types.START,
                Sources.WEBSOCKET,
                streamId,
                callId,
                accountId,
                receivedAtMs,
                receivedAtMs,
                List.copyOf(tracks),
                encoding,
                sampleRate,
                Map.copyOf(extraHeaders),
                null,
                null,
                null,
                null);
    }

    /**
     * Any other message seen on the stream's WebSocket, its fields kept raw in {@code attributes}.
     */
    public static StreamEvent observed(
            String type,
            String streamId,
            String callId,
            Long eventTimeMs,
            long receivedAtMs,
            Map<String, String> attributes) {
        return new StreamEvent(
                type,
                Sources.WEBSOCKET,
                streamId,
                callId,
                null,
                eventTimeMs,
                receivedAtMs,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Map.copyOf(attributes));
    }

    /** This event with {@code attributes} in place of its own, such as a start's provider. */
    public StreamEvent withAttributes(Map<String, String> attributes) {
        return new StreamEvent(
                type,
                source,
                streamId,
                callId,
                accountId,
                eventTimeMs,
                receivedAtMs,
                tracks,
                encoding,
                sampleRate,
                extraHeaders,
                closeCode,
                closeReason,
                stopSeen,
                Map.copyOf(attributes));
    }

    /** The stream's socket closed. */
    public static StreamEvent closed(
            String streamId,
            String callId,
            long closedAtMs,
            int closeCode,
            String closeReason,
            boolean stopSeen) {
        return new StreamEvent(
                Types.CLOSED,
                Sources.WEBSOCKET,
                streamId,
                callId,
                null,
                closedAtMs,
                closedAtMs,
                null,
                null,
                null,
                null,
                closeCode,
                closeReason == null || closeReason.isEmpty() ? null : closeReason,
                stopSeen,
                null);
    }

    /** This event with one more attribute (the others kept). */
    public StreamEvent withAttribute(String key, String value) {
        Map<String, String> more = new java.util.TreeMap<>();
        if (attributes != null) {
            more.putAll(attributes);
        }
        more.put(key, value);
        return withAttributes(more);
    }
}
