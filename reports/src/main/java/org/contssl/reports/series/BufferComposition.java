package org.contssl.reports.series;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The buffer-composition time series: header {@code step,<group>,<group>,...} where a group is a class or a domain,
 * one row per logged step with the number of buffer entries of each group.
 *
 * @param groups group names in column order
 * @param steps  logged steps
 * @param counts counts[row][group]
 */
public record BufferComposition(List<String> groups, long[] steps, long[][] counts) {

    public static BufferComposition read(Path file) {
        List<Map<String, String>> rows = MetricsCsv.readMaps(file, "step");
        if (rows.isEmpty()) {
            return new BufferComposition(List.of(), new long[0], new long[0][]);
        }
        List<String> groups = new ArrayList<>(rows.get(0).keySet());
        groups.remove("step");
        List<long[]> c = new ArrayList<>();
        List<Long> s = new ArrayList<>();
        for (Map<String, String> m : rows) {
            try {
                long step = (long) Double.parseDouble(m.get("step"));
                long[] r = new long[groups.size()];
                for (int g = 0; g < r.length; g++) {
                    String v = m.get(groups.get(g));
                    r[g] = v == null || v.isBlank() ? 0 : (long) Double.parseDouble(v);
                }
                s.add(step);
                c.add(r);
            } catch (NumberFormatException | NullPointerException e) {
                // torn last line after a crash
            }
        }
        return new BufferComposition(List.copyOf(groups), s.stream().mapToLong(Long::longValue).toArray(), c.toArray(new long[0][]));
    }

    /** Opens {@code file} for appending, writing the header {@code step,<groups>} when the file is new. */
    public static Appender append(Path file, List<String> groups) {
        return new Appender(file, groups);
    }

    public static final class Appender implements Closeable {
        private final CsvLines out;
        private final int width;

        private Appender(Path file, List<String> groups) {
            for (String g : groups) {
                if (g.contains(",") || g.contains("\"") || g.contains("\n") || g.equals("step")) {
                    throw new IllegalArgumentException("buffer composition: group name '" + g + "' must be a plain word other than 'step'");
                }
            }
            width = groups.size();
            out = new CsvLines(file, "step," + String.join(",", groups), "buffer composition");
        }

        public void write(long step, long[] counts) {
            if (counts.length != width) {
                throw new IllegalArgumentException("buffer composition: " + counts.length + " counts for " + width + " groups");
            }
            StringBuilder sb = new StringBuilder().append(step);
            for (long c : counts) sb.append(',').append(c);
            out.line(sb.toString());
        }

        @Override
        public void close() {
            out.close();
        }
    }
}
