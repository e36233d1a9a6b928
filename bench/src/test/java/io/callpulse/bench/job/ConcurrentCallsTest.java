package io.callpulse.bench.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.AudioRecordCodec;
import io.callpulse.records.Track;
import io.callpulse.udf.codec.AudioEncoding;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConcurrentCallsTest {

    private static final long START_MS = 1_700_000_000_000L;

    private static List<AudioRecord> records(ConcurrentCalls calls) {
        List<AudioRecord> records = new ArrayList<>();
        calls.forEachRecord(records::add);
        return records;
    }

    @Test
    void perFrameRecordsAreOneMediaMessageEachAsTheIngestWritesThem() {
        ConcurrentCalls calls = new ConcurrentCalls(2, 1, 1, START_MS);
        List<AudioRecord> records = records(calls);

        assertThat(calls.recordsPerTrack()).isEqualTo(50);
        assertThat(calls.recordCount()).isEqualTo(2 * (2 * 50 + 1));
        assertThat(records).hasSize(202);
        assertThat(calls.trackSeconds()).isEqualTo(4.0);

        AudioRecord first = records.get(0);
        assertThat(first.streamId()).isEqualTo(calls.streamId(0));
        assertThat(first.track()).isEqualTo(Track.INBOUND);
        assertThat(first.encoding()).isEqualTo(AudioEncoding.MULAW);
        assertThat(first.sampleRate()).isEqualTo(8000);
        assertThat(first.firstChunk()).isEqualTo(1);
        assertThat(first.chunkCount()).isEqualTo(1);
        assertThat(first.mediaTimestampMs()).isEqualTo(START_MS);
        assertThat(first.receivedAtMs()).isEqualTo(START_MS + 20);
        assertThat(first.payload()).hasSize(160);
        assertThat(records.get(1).track()).isEqualTo(Track.OUTBOUND);
        assertThat(records.get(1).firstChunk()).isEqualTo(1);

        // the second call starts one chunk later: its first record comes at the second tick
        assertThat(records.get(2).streamId()).isEqualTo(calls.streamId(0));
        assertThat(records.get(4).streamId()).isEqualTo(calls.streamId(1));
        assertThat(records.get(4).mediaTimestampMs()).isEqualTo(START_MS + 20);
        assertThat(records.get(4).firstChunk()).isEqualTo(1);

        AudioRecord last = records.get(records.size() - 1);
        assertThat(last.endOfStream()).isTrue();
        assertThat(last.streamId()).isEqualTo(calls.streamId(1));
        assertThat(last.mediaTimestampMs()).isEqualTo(START_MS + 20 + 1000);
        assertThat(last.receivedAtMs()).isEqualTo(START_MS + 20 + 1000 + 20);
    }

    @Test
    void batchedRecordsJoinConsecutiveMessagesAndNumberThemByTheFirst() {
        ConcurrentCalls perFrame = new ConcurrentCalls(1, 1, 1, START_MS);
        ConcurrentCalls batched = new ConcurrentCalls(1, 1, 5, START_MS);
        List<AudioRecord> frames = records(perFrame);
        List<AudioRecord> joined = records(batched);

        assertThat(batched.recordsPerTrack()).isEqualTo(10);
        assertThat(joined).hasSize(21);
        assertThat(batched.trackSeconds()).isEqualTo(perFrame.trackSeconds());

        AudioRecord second = joined.get(2);
        assertThat(second.track()).isEqualTo(Track.INBOUND);
        assertThat(second.firstChunk()).isEqualTo(6);
        assertThat(second.chunkCount()).isEqualTo(5);
        assertThat(second.mediaTimestampMs()).isEqualTo(START_MS + 100);
        assertThat(second.receivedAtMs()).isEqualTo(START_MS + 120);
        assertThat(second.payload()).isEqualTo(inboundPayloads(frames, 6, 5));
        assertThat(joined.get(20).endOfStream()).isTrue();
    }

    @Test
    void aCallsLastRecordJoinsWhatIsLeft() {
        ConcurrentCalls batched = new ConcurrentCalls(1, 1, 3, START_MS);
        List<AudioRecord> records = records(batched);

        assertThat(batched.recordsPerTrack()).isEqualTo(17);
        AudioRecord lastInbound = records.get(records.size() - 3);
        assertThat(lastInbound.firstChunk()).isEqualTo(49);
        assertThat(lastInbound.chunkCount()).isEqualTo(2);
        assertThat(lastInbound.payload()).hasSize(320);
        assertThat(lastInbound.mediaTimestampMs()).isEqualTo(START_MS + 960);
    }

    @Test
    void everyRecordSurvivesTheTopicsBinaryFormat() {
        for (AudioRecord record : records(new ConcurrentCalls(3, 1, 5, START_MS))) {
            assertThat(
                            AudioRecordCodec.decode(
                                    AudioRecordCodec.encodeKey(record.streamId()),
                                    AudioRecordCodec.encodeValue(record)))
                    .isEqualTo(record);
        }
    }

    @Test
    void nothingIsLateForTheJobsWatermarkAndEachStreamEndsWithItsMarker() {
        ConcurrentCalls calls = new ConcurrentCalls(60, 1, 5, START_MS);
        long newest = START_MS;
        Map<String, Long> lastMediaByStream = new HashMap<>();
        Map<String, Boolean> ended = new HashMap<>();
        for (AudioRecord record : records(calls)) {
            // the job allows 200 ms of out-of-orderness; batching holds a record back by 80 ms
            assertThat(record.mediaTimestampMs()).isGreaterThanOrEqualTo(newest - 80);
            newest = Math.max(newest, record.mediaTimestampMs());
            assertThat(ended.getOrDefault(record.streamId(), false)).isFalse();
            if (record.endOfStream()) {
                ended.put(record.streamId(), true);
            } else {
                lastMediaByStream.put(record.streamId(), record.mediaTimestampMs());
            }
        }
        assertThat(ended).hasSize(60).doesNotContainValue(false);
        // calls start 20 ms apart, and again together after 50 calls
        assertThat(calls.callStartMs(49)).isEqualTo(START_MS + 980);
        assertThat(calls.callStartMs(50)).isEqualTo(START_MS);
    }

    @Test
    void refusesEmptyWorkloads() {
        assertThatThrownBy(() -> new ConcurrentCalls(0, 60, 1, START_MS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "calls, call seconds and chunks per record: expected at least 1 each,"
                                + " found 0, 60, 1");
    }

    private static byte[] inboundPayloads(List<AudioRecord> frames, long firstChunk, int count) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (AudioRecord frame : frames) {
            if (!frame.endOfStream()
                    && frame.track() == Track.INBOUND
                    && frame.firstChunk() >= firstChunk
                    && frame.firstChunk() < firstChunk + count) {
                joined.writeBytes(frame.payload());
            }
        }
        return joined.toByteArray();
    }
}
