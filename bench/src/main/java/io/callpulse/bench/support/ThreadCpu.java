package io.callpulse.bench.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads between two moments, added up by kind of thread (the name with its
 * numbers taken out, so that the two subtasks of one operator are one line): which part of what
 * runs in the JVM used the cores.
 */
public final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> cpuNanosById = new HashMap<>();

    private ThreadCpu() {}

    /** CPU time of every live thread now. */
    public static ThreadCpu snapshot() {
        ThreadCpu snapshot = new ThreadCpu();
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            if (cpu >= 0) {
                snapshot.cpuNanosById.put(id, cpu);
            }
        }
        return snapshot;
    }

    /**
     * CPU nanoseconds per kind of thread from this snapshot to now, largest first. A thread that
     * ended in between is missing: its time is lost, not misattributed.
     */
    public Map<String, Long> untilNow() {
        Map<String, Long> byKind = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            ThreadInfo info = THREADS.getThreadInfo(id);
            if (cpu < 0 || info == null) {
                continue;
            }
            long used = cpu - cpuNanosById.getOrDefault(id, 0L);
            if (used > 0) {
                byKind.merge(kind(info.getThreadName()), used, Long::sum);
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        byKind.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** The thread's name without its numbers (subtask index, attempt, pool position). */
    public static String kind(String threadName) {
        return threadName.replaceAll("\\d+", "N");
    }
}
