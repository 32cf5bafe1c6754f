package org.contssl.reports.render;

/**
 * @param noiseMarginPoints differences to a floor within ± this many points are reported as "on par", never as a gain.
 *                          1.0 by default: the seed-to-seed spread of the demo setting measured with PyTorch is about one
 *                          point (FIFO ×4 on the demo stream: 82.5–83.6 % over 4 seeds).
 * @param maxSkippedListed  how many skipped images the report lists (results.json keeps what the pipeline gave)
 */
public record ReportOptions(double noiseMarginPoints, int maxSkippedListed) {
    public ReportOptions {
        if (!(noiseMarginPoints >= 0)) {
            throw new IllegalArgumentException("report noise margin must be >= 0 points, got " + noiseMarginPoints);
        }
        if (maxSkippedListed < 0) {
            throw new IllegalArgumentException("report maxSkippedListed must be >= 0, got " + maxSkippedListed);
        }
    }

    public static ReportOptions defaults() {
        return new ReportOptions(1.0, 100);
    }
}
