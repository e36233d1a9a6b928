package io.callpulse.bench.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final Map<String, Long> jvmInternalNanos = jvmInternalNanos();

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
        jvmInternalNanos()
                .forEach(
                        (kind, nanos) -> {
                            long used = nanos - jvmInternalNanos.getOrDefault(kind, 0L);
                            if (used > 0) {
                                byKind.merge(kind, used, Long::sum);
                            }
                        });
        Map<String, Long> sorted = new LinkedHashMap<>();
        byKind.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * CPU time of the JVM's own threads, which are no Java threads and so not in the {@link
     * ThreadMXBean}: the JIT compilers and the garbage collector, from the kernel's per-thread
     * counters (10 ms resolution). Empty where there is no {@code /proc}.
     */
    private static Map<String, Long> jvmInternalNanos() {
        Map<String, Long> byKind = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String kind = jvmInternalKind(readOrEmpty(task.resolve("comm")).trim());
                if (kind == null) {
                    continue;
                }
                String stat = readOrEmpty(task.resolve("stat"));
                // the fields after the command's closing parenthesis; utime and stime are the
                // 12th and 13th of them, in clock ticks of 10 ms
                int close = stat.lastIndexOf(')');
                if (close < 0) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                byKind.merge(kind, ticks * 10_000_000L, Long::sum);
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of();
        }
        return byKind;
    }

    private static String jvmInternalKind(String comm) {
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "JVM JIT compiler";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
            return "JVM GC";
        }
        return null;
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            // the thread ended
            return "";
        }
    }

    /** The thread's name without its numbers (subtask index, attempt, pool position). */
    public static String kind(String threadName) {
        return threadName.replaceAll("\\d+", "N");
    }
}
