package io.callpulse.bench.support;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What kept the machine's cores busy between two moments: this JVM (the benchmark, with whatever it
 * runs inside it) and everything else on the machine, from the kernel's counters. The machine is
 * shared, so a figure means little without knowing what else ran beside it.
 *
 * @param wallNanos wall time between the two snapshots
 * @param machineBusyCores cores kept busy on the whole machine, on average (0 to the core count)
 * @param thisJvmCores cores kept busy by this JVM, on average
 * @param gcMillis time this JVM's collectors took (their own count, pauses and concurrent work)
 */
public record CpuUsage(
        long wallNanos, double machineBusyCores, double thisJvmCores, long gcMillis) {

    /** Cores kept busy by other processes of the machine, on average. */
    public double otherCores() {
        return Math.max(0, machineBusyCores - thisJvmCores);
    }

    @Override
    public String toString() {
        return String.format(
                "cores busy %.2f (this JVM %.2f, others %.2f), GC %.2f s",
                machineBusyCores, thisJvmCores, otherCores(), gcMillis / 1000.0);
    }

    /** The counters at one moment. */
    public static final class Snapshot {
        private final long nanos = System.nanoTime();
        private final long processCpuNanos = processCpuNanos();
        private final long[] machineJiffies = machineJiffies();
        private final long gcMillis = collectorMillis();

        private Snapshot() {}

        /** What happened from this snapshot to now. */
        public CpuUsage untilNow() {
            Snapshot now = new Snapshot();
            long wall = now.nanos - nanos;
            double machineBusy = Double.NaN;
            if (machineJiffies != null && now.machineJiffies != null) {
                long busy = now.machineJiffies[0] - machineJiffies[0];
                long total = now.machineJiffies[1] - machineJiffies[1];
                machineBusy =
                        total == 0
                                ? 0
                                : Runtime.getRuntime().availableProcessors()
                                        * (double) busy
                                        / total;
            }
            return new CpuUsage(
                    wall,
                    machineBusy,
                    (now.processCpuNanos - processCpuNanos) / (double) wall,
                    now.gcMillis - gcMillis);
        }
    }

    public static Snapshot snapshot() {
        return new Snapshot();
    }

    /** The load average over the last 1, 5 and 15 minutes, as the kernel reports it. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static long collectorMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /**
     * Busy and total jiffies of all cores from {@code /proc/stat}'s first line (user nice system
     * idle iowait irq softirq steal ...); idle and iowait are not busy. {@code null} where there is
     * no such file.
     */
    private static long[] machineJiffies() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] fields = lines.get(0).trim().split("\\s+");
            long total = 0;
            long idle = 0;
            // fields[0] is "cpu"; guest times are already counted in user and nice
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                long value = Long.parseLong(fields[i]);
                total += value;
                if (i == 4 || i == 5) {
                    idle += value;
                }
            }
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
