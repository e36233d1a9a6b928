package io.callpulse.ingest;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.DeadLetter;
import io.callpulse.records.StreamEvent;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a protocol handler emits, in order, for assertions. */
public final class CollectingSink implements RecordSink {

    public final List<AudioRecord> audio = new ArrayList<>();
    public final List<StreamEvent> events = new ArrayList<>();
    public final List<DeadLetter> deadLetters = new ArrayList<>();

    @Override
    public void audio(AudioRecord record) {
        audio.add(record);
    }

    @Override
    public void event(StreamEvent event) {
        events.add(event);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }
}
