package io.callpulse.records;

import io.callpulse.udf.codec.AudioEncoding;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The binary value format of {@code callpulse.audio}; the key is the StreamID in UTF-8.
 *
 * <p>Version 1, big-endian (network order) for every multi-byte field:
 *
 * <pre>
 * offset size field
 *  0     1    version = 1
 *  1     1    kind: 1 = audio, 2 = end of stream
 * audio:
 *  2     1    track: 1 = inbound, 2 = outbound
 *  3     1    encoding: 1 = G.711 mu-law, 2 = L16 little-endian
 *  4     4    sample rate, Hz
 *  8     8    first chunk number
 * 16     4    chunk count (media messages joined in this record)
 * 20     8    media timestamp of the first sample, epoch ms
 * 28     8    ingest receive time, epoch ms
 * 36     4    payload length n
 * 40     n    payload (audio bytes as received; L16 keeps its little-endian samples)
 * end of stream:
 *  2     8    media timestamp of the end of the last audio, epoch ms
 * 10     8    time the socket closed, epoch ms
 * </pre>
 *
 * <p>A reader rejects versions it does not know rather than guess at their layout.
 */
public final class AudioRecordCodec {

    public static final byte VERSION = 1;

    static final byte KIND_AUDIO = 1;
    static final byte KIND_END_OF_STREAM = 2;

    private static final byte ENCODING_MULAW = 1;
    private static final byte ENCODING_L16 = 2;

    /** Bytes before the payload of an audio record. */
    public static final int AUDIO_HEADER_BYTES = 40;

    private static final int END_OF_STREAM_BYTES = 18;

    private AudioRecordCodec() {}

    public static byte[] encodeKey(String streamId) {
        return streamId.getBytes(StandardCharsets.UTF_8);
    }

    public static String decodeKey(byte[] key) {
        if (key == null) {
            throw new MalformedRecordException("key: expected the StreamID, found no key");
        }
        return new String(key, StandardCharsets.UTF_8);
    }

    public static byte[] encodeValue(AudioRecord record) {
        if (record.endOfStream()) {
            return ByteBuffer.allocate(END_OF_STREAM_BYTES)
                    .order(ByteOrder.BIG_ENDIAN)
                    .put(VERSION)
                    .put(KIND_END_OF_STREAM)
                    .putLong(record.mediaTimestampMs())
                    .putLong(record.receivedAtMs())
                    .array();
        }
        byte[] payload = record.payload();
        return ByteBuffer.allocate(AUDIO_HEADER_BYTES + payload.length)
                .order(ByteOrder.BIG_ENDIAN)
                .put(VERSION)
                .put(KIND_AUDIO)
                .put(record.track().wireCode())
                .put(encodingCode(record.encoding()))
                .putInt(record.sampleRate())
                .putLong(record.firstChunk())
                .putInt(record.chunkCount())
                .putLong(record.mediaTimestampMs())
                .putLong(record.receivedAtMs())
                .putInt(payload.length)
                .put(payload)
                .array();
    }

    /**
     * @throws MalformedRecordException naming the field that is wrong and what was expected
     */
    public static AudioRecord decode(byte[] key, byte[] value) {
        String streamId = decodeKey(key);
        if (value == null || value.length < 2) {
            throw new MalformedRecordException(
                    "value: expected at least 2 bytes (version, kind), found "
                            + (value == null ? "none" : value.length));
        }
        ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.BIG_ENDIAN);
        byte version = in.get();
        if (version != VERSION) {
            throw new MalformedRecordException(
                    "version: expected " + VERSION + ", found " + version);
        }
        byte kind = in.get();
        try {
            if (kind == KIND_END_OF_STREAM) {
                return AudioRecord.endOfStream(streamId, in.getLong(), in.getLong());
            }
            if (kind != KIND_AUDIO) {
                throw new MalformedRecordException(
                        "kind: expected 1 (audio) or 2 (end of stream), found " + kind);
            }
            Track track = trackOf(in.get());
            AudioEncoding encoding = encodingOf(in.get());
            int sampleRate = in.getInt();
            long firstChunk = in.getLong();
            int chunkCount = in.getInt();
            long mediaTimestampMs = in.getLong();
            long receivedAtMs = in.getLong();
            int length = in.getInt();
            if (length != in.remaining()) {
                throw new MalformedRecordException(
                        "payload length: header says "
                                + length
                                + " bytes, the value holds "
                                + in.remaining());
            }
            byte[] payload = new byte[length];
            in.get(payload);
            return AudioRecord.audio(
                    streamId,
                    track,
                    encoding,
                    sampleRate,
                    firstChunk,
                    chunkCount,
                    mediaTimestampMs,
                    receivedAtMs,
                    payload);
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException(
                    "value: truncated, " + value.length + " bytes is shorter than its header");
        }
    }

    private static Track trackOf(byte code) {
        try {
            return Track.fromWireCode(code);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage());
        }
    }

    private static byte encodingCode(AudioEncoding encoding) {
        return switch (encoding) {
            case MULAW -> ENCODING_MULAW;
            case L16 -> ENCODING_L16;
        };
    }

    private static AudioEncoding encodingOf(byte code) {
        return switch (code) {
            case ENCODING_MULAW -> AudioEncoding.MULAW;
            case ENCODING_L16 -> AudioEncoding.L16;
            default ->
                    throw new MalformedRecordException(
                            "encoding: expected 1 (mu-law) or 2 (L16), found " + code);
        };
    }
}
