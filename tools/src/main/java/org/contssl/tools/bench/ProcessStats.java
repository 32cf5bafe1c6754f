package org.contssl.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process-level readings the benchmarks report next to their rates: resident set size (Linux
 * {@code /proc/self/status}), Java heap, CPU time of this thread or the whole process, and the machine's load. On a
 * machine shared with other processes, CPU-time rates and the load average say how far wall-clock rates can be trusted.
 */
public final class ProcessStats {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ProcessStats() {}

    /** Resident set size in bytes; -1 where unavailable (not Linux). */
    public static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Resident set size in MiB; -1 where unavailable. */
    public static double rssMb() {
        long b = rssBytes();
        return b < 0 ? -1 : b / (1024.0 * 1024.0);
    }

    /** Committed Java heap in MiB (part of the RSS that is not native memory). */
    public static double heapCommittedMb() {
        return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    }

    /** Java heap in use, in bytes (call {@link System#gc()} first for a meaningful difference). */
    public static long usedHeapBytes() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** CPU time of the calling thread in nanoseconds. */
    public static long threadCpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** CPU time of the whole process (all threads) in nanoseconds; -1 where the JVM does not report it. */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** The 1-, 5- and 15-minute load averages as {@code /proc/loadavg} gives them, or {@code unknown}. */
    public static String loadAverages() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The 1-minute load average (negative where unavailable). */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
