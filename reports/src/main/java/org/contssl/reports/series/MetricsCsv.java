package org.contssl.reports.series;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and appends {@code metrics.csv} (header {@link MetricsRow#COLUMNS}). Reading tolerates extra columns and a
 * torn last line (a crash mid-write), and fills absent or empty numeric cells with NaN, so a report can always be
 * drawn from whatever the run logged.
 */
public final class MetricsCsv {
    private MetricsCsv() {}

    public static List<MetricsRow> read(Path file) {
        List<MetricsRow> rows = new ArrayList<>();
        for (Map<String, String> m : readMaps(file, "step")) {
            String stepCell = m.get("step");
            if (stepCell == null || stepCell.isBlank()) continue;
            long step;
            try {
                step = (long) Double.parseDouble(stepCell.trim());
            } catch (NumberFormatException e) {
                continue; // torn last line
            }
            rows.add(new MetricsRow(step, (long) num(m, "images_seen"), num(m, "stream_fraction"),
                    m.getOrDefault("phase", ""), num(m, "loss"), num(m, "lr"), num(m, "img_per_s"), num(m, "data_wait_s"),
                    num(m, "compute_s"), num(m, "z_std"), (long) num(m, "buffer_size"), num(m, "buffer_mean_num_seen"),
                    num(m, "buffer_mean_neighbor_sim")));
        }
        return rows;
    }

    /** Header-keyed rows of any CSV; the header must contain {@code requiredColumn}. */
    static List<Map<String, String>> readMaps(Path file, String requiredColumn) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " not found; the time series was not written (did pretrain run?)");
        }
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.SKIP_EMPTY_LINES)
              .enable(CsvParser.Feature.ALLOW_TRAILING_COMMA).enable(CsvParser.Feature.INSERT_NULLS_FOR_MISSING_COLUMNS);
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Map<String, String>> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<Map<String, String>> it = mapper.readerFor(Map.class).with(schema).readValues(r)) {
            while (it.hasNextValue()) {
                Map<String, String> row;
                try {
                    row = it.nextValue();
                } catch (RuntimeException e) {
                    break; // a torn last line after a crash: keep what was read
                }
                if (out.isEmpty() && !row.containsKey(requiredColumn)) {
                    throw new IllegalArgumentException(file + ": header has no '" + requiredColumn + "' column (found " + row.keySet() + "); is this the right CSV?");
                }
                out.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        return out;
    }

    private static double num(Map<String, String> m, String col) {
        String v = m.get(col);
        if (v == null || v.isBlank()) return Double.NaN;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Opens {@code file} for appending rows, writing the header first when the file is new or empty. */
    public static Appender append(Path file) {
        return new Appender(file);
    }

    /** Appends rows; flushes on every row so the report of a crashed run still has its series. */
    public static final class Appender implements Closeable {
        private final CsvLines out;

        private Appender(Path file) {
            out = new CsvLines(file, String.join(",", MetricsRow.COLUMNS), "metrics.csv");
        }

        public void write(MetricsRow r) {
            out.line(String.join(",", Long.toString(r.step()), Long.toString(r.imagesSeen()), fmt(r.streamFraction()),
                    phase(r.phase()), fmt(r.loss()), fmt(r.lr()), fmt(r.imgPerS()), fmt(r.dataWaitS()), fmt(r.computeS()),
                    fmt(r.zStd()), Long.toString(r.bufferSize()), fmt(r.bufferMeanNumSeen()), fmt(r.bufferMeanNeighborSim())));
        }

        @Override
        public void close() {
            out.close();
        }
    }

    private static final Set<Character> UNSAFE = new HashSet<>(Arrays.asList(',', '"', '\n', '\r'));

    private static String phase(String p) {
        if (p == null) return "";
        for (char c : p.toCharArray()) {
            if (UNSAFE.contains(c)) throw new IllegalArgumentException("metrics.csv: phase name '" + p + "' contains a comma, quote or newline; use a plain word");
        }
        return p;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
