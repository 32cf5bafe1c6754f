package org.contssl.reports.series;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only CSV file of the pretrain step's series (metrics, buffer composition, buffer mechanism): the header
 * is written when the file is new or empty, and every line is flushed as it is written, so the report of a crashed
 * run still has its series up to the crash. Cutting back after a resume is the caller's job (a checkpoint's step).
 */
final class CsvLines implements Closeable {

    private final BufferedWriter out;
    private final String what;

    /** Opens {@code file} for appending; {@code what} names the series in error messages. */
    CsvLines(Path file, String header, String what) {
        this.what = what;
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (fresh) {
                line(header);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot open " + file + " for appending: " + e.getMessage(), e);
        }
    }

    /** Appends one line (without its newline) and flushes it. */
    void line(String text) {
        try {
            out.write(text);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot append: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot close: " + e.getMessage(), e);
        }
    }
}
