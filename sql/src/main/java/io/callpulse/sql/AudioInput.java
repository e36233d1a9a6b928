package io.callpulse.sql;

import io.callpulse.records.AudioRecord;
import io.callpulse.records.AudioRecordCodec;
import io.callpulse.records.MalformedRecordException;
import io.callpulse.udf.codec.AudioEncoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio a function is given, as 16-bit samples: either a whole {@code callpulse.audio} value
 * (the record carries its encoding and rate) or raw audio with its encoding and rate. SQL's way
 * with input it cannot read is NULL, so that one bad row does not stop a query: such input yields
 * {@code null}, and the reason (the field and what was expected) is logged.
 */
record AudioInput(short[] samples, int sampleRate, String track) {

    private static final Logger LOG = LoggerFactory.getLogger(AudioInput.class);

    private static final byte[] NO_KEY = new byte[0];

    /** A {@code callpulse.audio} value; {@code null} for the end-of-stream marker or bad input. */
    static AudioInput ofRecord(byte[] value) {
        if (value == null) {
            return null;
        }
        AudioRecord record;
        try {
            record = AudioRecordCodec.decode(NO_KEY, value);
        } catch (MalformedRecordException e) {
            LOG.warn("not a callpulse.audio record, read as NULL: {}", e.getMessage());
            return null;
        }
        if (record.endOfStream()) {
            return null;
        }
        return new AudioInput(
                decode(record.encoding(), record.payload()),
                record.sampleRate(),
                record.track().wireName());
    }

    /** Raw audio in {@code encoding} (a MIME type such as {@code audio/x-mulaw}). */
    static AudioInput ofRaw(byte[] audio, String encoding, Integer sampleRate) {
        if (audio == null || encoding == null || sampleRate == null) {
            return null;
        }
        AudioEncoding parsed;
        try {
            parsed = AudioEncoding.fromMimeType(encoding);
        } catch (IllegalArgumentException e) {
            LOG.warn("encoding not readable, read as NULL: {}", e.getMessage());
            return null;
        }
        if (sampleRate <= 0 || audio.length % parsed.bytesPerSample() != 0) {
            LOG.warn(
                    "audio: expected a positive rate and a whole number of {} samples, found rate"
                            + " {} and {} bytes; read as NULL",
                    parsed.mimeType(),
                    sampleRate,
                    audio.length);
            return null;
        }
        return new AudioInput(decode(parsed, audio), sampleRate, null);
    }

    private static short[] decode(AudioEncoding encoding, byte[] payload) {
        short[] samples = new short[encoding.sampleCount(payload.length)];
        encoding.decode(payload, 0, payload.length, samples, 0);
        return samples;
    }
}
