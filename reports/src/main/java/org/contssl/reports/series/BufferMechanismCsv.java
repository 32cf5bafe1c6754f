package org.contssl.reports.series;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code buffer_mechanism.csv}: one row per incoming chunk the buffer took, written right after the insert, with what
 * the paper's mechanism arguments are about (docs/reproducing.md): how many distinct clips (source images of a
 * pseudo-video stream; single images of an i.i.d. stream) the buffer holds, and how many of the chunk's evictions
 * MinRed had to make oldest-first because too few entries had been trained. {@code step} is the first SGD step that
 * can see the chunk (steps done at the insert + 1), so cutting the file after a checkpoint's step drops exactly the
 * inserts a resumed run repeats.
 */
public final class BufferMechanismCsv {

    public static final String HEADER = "step,position,size,distinct_clips,evicted,oldest_first";

    /** One insert. */
    public record Row(long step, long position, long size, long distinctClips, long evicted, long oldestFirst) {
    }

    private BufferMechanismCsv() {
    }

    public static List<Row> read(Path file) {
        List<Row> rows = new ArrayList<>();
        for (Map<String, String> m : MetricsCsv.readMaps(file, "step")) {
            try {
                rows.add(new Row(num(m, "step"), num(m, "position"), num(m, "size"), num(m, "distinct_clips"),
                        num(m, "evicted"), num(m, "oldest_first")));
            } catch (NumberFormatException | NullPointerException e) {
                // a torn last line after a crash
            }
        }
        return rows;
    }

    private static long num(Map<String, String> m, String col) {
        return (long) Double.parseDouble(m.get(col).trim());
    }

    public static Appender append(Path file) {
        return new Appender(file);
    }

    /** Appends rows, flushed one by one (a crashed run's report still has them). */
    public static final class Appender implements Closeable {
        private final CsvLines out;

        private Appender(Path file) {
            out = new CsvLines(file, HEADER, "buffer mechanism");
        }

        public void write(Row r) {
            out.line(r.step() + "," + r.position() + "," + r.size() + "," + r.distinctClips() + "," + r.evicted() + ","
                    + r.oldestFirst());
        }

        @Override
        public void close() {
            out.close();
        }
    }
}
