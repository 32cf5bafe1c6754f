package org.contssl.reports.render;

import java.nio.file.Path;
import java.util.List;

/** What {@link ReportWriter} wrote. */
public record ReportFiles(Path reportsDir, Path html, Path markdown, Path json, Path csv, Path forgettingCsv, List<Path> charts) {
}
