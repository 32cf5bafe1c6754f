package org.contssl.reports.results;

/**
 * Where the time-series CSVs are, relative to the workdir (or absolute).
 *
 * @param metricsCsv           metrics.csv, see {@link org.contssl.reports.series.MetricsRow} for its columns
 * @param bufferCompositionCsv step + count per group, may be null
 * @param compositionBy        what the groups are: "class" or "domain"
 */
public record TimeSeriesFiles(String metricsCsv, String bufferCompositionCsv, String compositionBy) {
}
