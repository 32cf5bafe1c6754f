package org.contssl.reports.results;

/**
 * SimSiam's collapse indicator: the per-dimension standard deviation of the L2-normalised projector output. A healthy
 * representation spreads over the sphere with std ~ 1/sqrt(dim); a collapsed one has std ~ 0. The threshold is
 * 0.5/sqrt(dim).
 *
 * @param value     the measured std (final, or mean over the last logging window)
 * @param dim       projector output dimension
 * @param threshold 0.5/sqrt(dim)
 * @param step      step at which {@code value} was measured, may be null
 */
public record CollapseMonitor(double value, int dim, double threshold, Long step) {

    public static CollapseMonitor of(double value, int dim, Long step) {
        if (dim <= 0) {
            throw new IllegalArgumentException("collapse monitor: projector dim must be positive, got " + dim);
        }
        return new CollapseMonitor(value, dim, thresholdFor(dim), step);
    }

    public static double thresholdFor(int dim) {
        return 0.5 / Math.sqrt(dim);
    }

    public boolean collapsed() {
        return !(value >= threshold);
    }
}
