package io.callpulse.ingest;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;

/**
 * Links a reconnect to the stream it replaces. Plivo retries a failed stream connection, and the
 * retry brings a fresh {@code start} with a new StreamID for the same call: its start event gets
 * the attribute {@value #PREVIOUS_STREAM_ID} naming the call's previous stream, so readers can tie
 * the two (and the job need not guess from timing).
 *
 * <p>An instance remembers the last {@code capacity} calls; a reconnect that lands on another
 * ingest instance is not linked here (readers can still join on callId).
 */
public final class ReconnectLinkingSink implements RecordSink {

    /** The start event's attribute naming the same call's previous StreamID. */
    public static final String PREVIOUS_STREAM_ID = "previousStreamId";

    private final RecordSink next;
    private final BoundedLruMap<String, String> lastStreamByCall;

    public ReconnectLinkingSink(RecordSink next, int capacity) {
        this.next = next;
        this.lastStreamByCall = new BoundedLruMap<>(capacity);
    }

    @Override
    public void audio(AudioRecord record) {
        next.audio(record);
    }

    @Override
    public void event(StreamEvent event) {
        if (StreamEvent.Types.START.equals(event.type()) && event.callId() != null) {
            String previous = lastStreamByCall.put(event.callId(), event.streamId());
            if (previous != null && !previous.equals(event.streamId())) {
                next.event(event.withAttribute(PREVIOUS_STREAM_ID, previous));
                return;
            }
        }
        next.event(event);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        next.deadLetter(deadLetter);
    }
}
