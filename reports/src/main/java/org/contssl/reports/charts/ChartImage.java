package org.contssl.reports.charts;

/**
 * A rendered chart: the PNG file name inside the reports folder, a title, a caption saying what to read from it, and
 * the PNG bytes (inlined as base64 in report.html, written next to report.md).
 */
public record ChartImage(String fileName, String title, String caption, byte[] png) {
}
