package org.contssl.model;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * glibc malloc settings for libtorch's activation-sized allocations. By default every block above a dynamic threshold
 * (≤ 32 MiB) is a fresh mmap, and the JVM's threads allocate from secondary arenas whose heaps cannot hold blocks
 * above 64 MiB: a SimSiam ResNet-18 step then page-faults 3–6 GB of freshly zeroed memory (a third of its CPU time,
 * measured). Raising the mmap and trim thresholds and capping the arenas at one lets the libtorch thread, created
 * afterwards, reuse its freed blocks step after step. Memory is not returned to the OS, so RSS stays at its peak.
 *
 * <p>Only the allocation policy changes, never a computed value. Skipped (reported as such) where glibc's
 * {@code mallopt} is unavailable or {@code -Dcontssl.malloc.tune=false}.
 */
final class NativeAllocator {
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_ARENA_MAX = -8;
    private static final int THRESHOLD = 1 << 30;

    private NativeAllocator() {}

    /** Applies the settings once; returns a description for the record. */
    static String tune() {
        if (!Boolean.parseBoolean(System.getProperty("contssl.malloc.tune", "true"))) {
            return "glibc defaults (contssl.malloc.tune=false)";
        }
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "platform default (not Linux)";
        }
        try {
            Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
            int ok = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, THRESHOLD})
                    & mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, THRESHOLD})
                    & mallopt.invokeInt(new Object[] {M_ARENA_MAX, 1});
            return ok == 1 ? "glibc mallopt: mmap/trim threshold 1 GiB, 1 arena" : "glibc mallopt refused";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "glibc defaults (mallopt unavailable: " + e.getMessage() + ")";
        }
    }
}
