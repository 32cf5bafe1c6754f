package org.contssl.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Timed runs of one task: wall-clock seconds and, where measured, calling-thread CPU seconds (empty otherwise). Best
 * (the least disturbed run) suits peaks; the median suits steady rates.
 */
public record Samples(List<Double> wall, List<Double> cpu) {

    public Samples {
        wall = List.copyOf(wall);
        cpu = List.copyOf(cpu);
    }

    /** Shortest wall time. */
    public double bestWall() {
        return Collections.min(wall);
    }

    /** Median wall time. */
    public double medianWall() {
        return median(wall);
    }

    /** Shortest CPU time. */
    public double bestCpu() {
        return Collections.min(cpu);
    }

    /** The median of {@code xs} (mean of the two middle values for an even count). */
    public static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : 0.5 * (s.get(n / 2 - 1) + s.get(n / 2));
    }
}
