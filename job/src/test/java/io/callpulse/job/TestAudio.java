package io.callpulse.job;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.Track;
import io.callpulse.simulator.StreamFormat;
import java.util.ArrayList;
import java.util.List;

/** Cuts known audio into audio records as the ingest would write them. */
public final class TestAudio {

    private TestAudio() {}

    /**
     * @param samplesPerChunk samples in each record; the last may be shorter
     */
    public static List<AudioRecord> chunks(
            String streamId,
            Track track,
            StreamFormat format,
            short[] samples,
            int samplesPerChunk,
            long startMs) {
        List<AudioRecord> records = new ArrayList<>();
        long chunk = 1;
        for (int offset = 0; offset < samples.length; offset += samplesPerChunk) {
            int count = Math.min(samplesPerChunk, samples.length - offset);
            long timestamp = startMs + (offset * 1000L) / format.sampleRate();
            records.add(
                    AudioRecord.audio(
                            streamId,
                            track,
                            format.encoding(),
                            format.sampleRate(),
                            chunk++,
                            1,
                            timestamp,
                            timestamp,
                            format.encode(samples, offset, count)));
        }
        return records;
    }

    /**
     * As the ingest's batcher writes them: records of {@code chunksPerRecord} 20 ms chunks each,
     * numbered from 1, each stamped with its first chunk's media time.
     */
    public static List<AudioRecord> joined(
            String streamId,
            Track track,
            StreamFormat format,
            short[] samples,
            int chunksPerRecord,
            long startMs) {
        int samplesPerChunk = format.sampleRate() / 50;
        List<AudioRecord> records = new ArrayList<>();
        for (AudioRecord single :
                chunks(
                        streamId,
                        track,
                        format,
                        samples,
                        samplesPerChunk * chunksPerRecord,
                        startMs)) {
            int chunks = single.sampleCount() / samplesPerChunk;
            long firstChunk = (single.firstChunk() - 1) * chunksPerRecord + 1;
            records.add(
                    AudioRecord.audio(
                            streamId,
                            track,
                            single.encoding(),
                            single.sampleRate(),
                            firstChunk,
                            chunks,
                            single.mediaTimestampMs(),
                            single.receivedAtMs(),
                            single.payload()));
        }
        return records;
    }
}
