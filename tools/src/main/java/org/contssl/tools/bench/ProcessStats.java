package org.contssl.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Resident set size of this process (Linux {@code /proc/self/status}), in MiB; -1 where unavailable. */
final class ProcessMemory {
    private ProcessMemory() {}

    static double rssMb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Committed Java heap in MiB (part of the RSS that is not native memory). */
    static double heapCommittedMb() {
        return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    }

    /** The CPU model name, for the record. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
