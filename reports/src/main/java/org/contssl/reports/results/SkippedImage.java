package org.contssl.reports.results;

/** An image the pipeline skipped: its stream/list index, its path and why. */
public record SkippedImage(long index, String path, String reason) {
}
