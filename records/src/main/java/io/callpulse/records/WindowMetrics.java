package io.callpulse.records;

/**
 * One value of the {@code callpulse.metrics} topic (JSON): one stream's figures for one event-time
 * window.
 *
 * @param streamId Plivo's StreamID
 * @param windowStartMs epoch ms, inclusive
 * @param windowEndMs epoch ms, exclusive
 * @param call who and what the stream is, as far as its events had said when the window closed
 * @param inbound the inbound (caller) track
 * @param outbound the outbound (agent) track
 * @param conversation the two parties together; null unless the stream has both tracks
 */
public record WindowMetrics(
        String streamId,
        long windowStartMs,
        long windowEndMs,
        CallContext call,
        TrackWindowMetrics inbound,
        TrackWindowMetrics outbound,
        ConversationWindowMetrics conversation) {

    /** The figures of one track. */
    public TrackWindowMetrics track(Track track) {
        return track == Track.INBOUND ? inbound : outbound;
    }
}
