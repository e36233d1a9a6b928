package io.callpulse.records;

import java.util.List;
import java.util.Map;

/**
 * Who and what a stream is, as far as its events have said so far: joined into every metrics window
 * and summary. Any field may be missing until the event that carries it has come.
 *
 * @param callId Plivo's CallUUID (the WebSocket start's callId, or a callback's CallUUID)
 * @param from the caller, from a status callback
 * @param to the callee, from a status callback
 * @param extraHeaders the {@code <Stream>}'s extra headers
 * @param tracks the tracks the stream carries, from the start
 * @param encoding the stream's audio format, from the start
 * @param sampleRate its sample rate, from the start
 */
public record CallContext(
        String callId,
        String from,
        String to,
        Map<String, String> extraHeaders,
        List<String> tracks,
        String encoding,
        Integer sampleRate) {}
