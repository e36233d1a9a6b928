package io.callpulse.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of a load run, updated from any thread, read for the progress line every second and
 * for the summary at the end.
 */
public final class RunStats {

    /** How a simulated stream ended. */
    public enum Outcome {
        /** We closed with 1000 and the server answered 1000. */
        COMPLETED,
        /** We cut the connection, as the scenario says. */
        DROPPED,
        /** The server refused the WebSocket upgrade. */
        REFUSED,
        /** The server closed the stream before we did, or answered our close with another code. */
        SERVER_CLOSED,
        /** The connection failed (could not connect, reset, or ended without a close frame). */
        FAILED
    }

    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder started = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicLong maxLagMs = new AtomicLong();
    private final AtomicLong windowLagMs = new AtomicLong();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final LongAdder[] messageKinds =
            java.util.stream.Stream.generate(LongAdder::new)
                    .limit(CallScript.Kind.values().length)
                    .toArray(LongAdder[]::new);
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> callbackStatuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private long lastMessages;
    private long lastBytes;
    private long lastElapsedMs;

    public void callOpened() {
        open.incrementAndGet();
        started.increment();
    }

    /**
     * A stream ended; every outcome but COMPLETED and DROPPED is a failure: the ingest refused or
     * broke a stream it should have accepted.
     */
    public void callEnded(Scenario scenario, Outcome outcome, boolean wasOpen) {
        if (wasOpen) {
            open.decrementAndGet();
        }
        ended.increment();
        count(
                outcomes,
                scenario.cliName() + " " + outcome.name().toLowerCase(java.util.Locale.ROOT));
        if (outcome != Outcome.COMPLETED && outcome != Outcome.DROPPED) {
            failures.increment();
        }
    }

    public void sent(CallScript.Kind kind, int length) {
        messages.increment();
        bytes.add(length);
        messageKinds[kind.ordinal()].increment();
    }

    public void receivedMessage() {
        received.increment();
    }

    /** A close code the server sent (or 1006 for a connection that ended without one). */
    public void closeCode(int code) {
        closeCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** An upgrade the server refused, by HTTP status or error. */
    public void refused(String why) {
        count(refusals, why);
    }

    public void error() {
        errors.increment();
    }

    /** A status callback's HTTP status, or "error" when there was no answer. */
    public void callbackAnswered(String event, String status) {
        count(callbackStatuses, event + " " + status);
        if (!"200".equals(status)) {
            failures.increment();
        }
    }

    /**
     * How late a tick ran; {@code counted} false during the warm-up, which shows in the progress
     * line but not in the summary's maximum.
     */
    public void tickLag(long lagMs, boolean counted) {
        windowLagMs.accumulateAndGet(lagMs, Math::max);
        if (counted) {
            maxLagMs.accumulateAndGet(lagMs, Math::max);
        }
    }

    public int open() {
        return open.get();
    }

    public long messages() {
        return messages.sum();
    }

    public long failures() {
        return failures.sum();
    }

    public Map<String, Long> outcomes() {
        return snapshot(outcomes);
    }

    public Map<Integer, Long> closeCodes() {
        Map<Integer, Long> out = new TreeMap<>();
        closeCodes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Map<String, Long> callbackStatuses() {
        return snapshot(callbackStatuses);
    }

    /** Messages sent by kind, kinds never sent left out. */
    public Map<String, Long> messageKinds() {
        Map<String, Long> out = new TreeMap<>();
        for (CallScript.Kind kind : CallScript.Kind.values()) {
            long n = messageKinds[kind.ordinal()].sum();
            if (n > 0) {
                out.put(kind.name().toLowerCase(java.util.Locale.ROOT), n);
            }
        }
        return out;
    }

    /** One line: open calls, rates since the previous line, errors; resets the rate window. */
    public synchronized String progress(long elapsedMs) {
        long m = messages.sum();
        long b = bytes.sum();
        long window = Math.max(1, elapsedMs - lastElapsedMs);
        String line =
                String.format(
                        java.util.Locale.ROOT,
                        "[%5ds] open %d  opened %d  ended %d  msg/s %d  KB/s %d  errors %d"
                                + "  failures %d  lag %d ms",
                        elapsedMs / 1000,
                        open.get(),
                        started.sum(),
                        ended.sum(),
                        (m - lastMessages) * 1000 / window,
                        (b - lastBytes) * 1000 / window / 1024,
                        errors.sum(),
                        failures.sum(),
                        windowLagMs.getAndSet(0));
        lastMessages = m;
        lastBytes = b;
        lastElapsedMs = elapsedMs;
        return line;
    }

    /** The final report, one fact per line. */
    public String summary(long elapsedMs) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        java.util.Locale.ROOT,
                        "calls: %d opened, %d ended in %.1f s%n",
                        started.sum(),
                        ended.sum(),
                        elapsedMs / 1000.0));
        outcomes()
                .forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
        out.append("messages sent: ")
                .append(messages.sum())
                .append(" (")
                .append(bytes.sum())
                .append(" bytes), received: ")
                .append(received.sum())
                .append('\n');
        messageKinds()
                .forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
        out.append("close codes from the server:");
        closeCodes().forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
        out.append('\n');
        out.append("callbacks:");
        callbackStatuses().forEach((k, v) -> out.append(" [").append(k).append("]=").append(v));
        out.append('\n');
        if (!refusals.isEmpty()) {
            out.append("upgrades refused:");
            snapshot(refusals).forEach((k, v) -> out.append(" [").append(k).append("]=").append(v));
            out.append('\n');
        }
        out.append("errors: ")
                .append(errors.sum())
                .append(", failures: ")
                .append(failures.sum())
                .append(", max tick lag after warm-up: ")
                .append(maxLagMs.get())
                .append(" ms\n");
        return out.toString();
    }

    private static void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> map) {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
