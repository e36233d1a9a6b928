package io.callpulse.ingest;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;

/**
 * Where the protocol handlers put what they accept. Implementations must not block: the handlers
 * run on the WebSocket server's threads.
 */
public interface RecordSink {

    void audio(AudioRecord record);

    void event(StreamEvent event);

    void deadLetter(DeadLetter deadLetter);
}
