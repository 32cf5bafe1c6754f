package org.contssl.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the CPU can do, as every benchmark reports it: the model name and the vector/matrix instruction-set flags from
 * {@code /proc/cpuinfo} (AVX2, AVX-512, AMX, ...). The same code can run several times faster on a machine with
 * AVX-512 or AMX (oneDNN and the Vector API pick their kernels at run time), so a throughput figure means little
 * without them.
 *
 * @param model the first {@code model name} line, or {@code unknown}
 * @param flags the vector-relevant flags present, sorted (empty where {@code /proc/cpuinfo} is unreadable)
 * @param cores processors available to this JVM
 */
public record CpuFacts(String model, List<String> flags, int cores) {

    /** Flag prefixes that decide which compute kernels a library picks (x86 and the ARM equivalents). */
    private static final List<String> VECTOR_PREFIXES = List.of("sse4", "avx", "fma", "f16c", "amx", "vnni", "bf16",
            "asimd", "sve", "sme");

    private static final CpuFacts THIS_MACHINE = detect(Path.of("/proc/cpuinfo"));

    /** This machine's facts (read once). */
    public static CpuFacts current() {
        return THIS_MACHINE;
    }

    static CpuFacts detect(Path cpuinfo) {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            return parse(Files.readString(cpuinfo), cores);
        } catch (IOException | RuntimeException e) {
            return new CpuFacts("unknown", List.of(), cores);
        }
    }

    /** Parses the text of {@code /proc/cpuinfo}; the first processor's lines describe them all. */
    static CpuFacts parse(String cpuinfo, int cores) {
        String model = "unknown";
        Set<String> flags = new TreeSet<>();
        boolean haveFlags = false;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (model.equals("unknown") && (key.equals("model name") || key.equals("Model"))) {
                model = value;
            } else if (!haveFlags && (key.equals("flags") || key.equals("Features"))) {
                haveFlags = true;
                for (String f : value.split("\\s+")) {
                    if (VECTOR_PREFIXES.stream().anyMatch(f::startsWith)) {
                        flags.add(f);
                    }
                }
            }
        }
        return new CpuFacts(model, List.copyOf(new ArrayList<>(flags)), cores);
    }
}
