package org.contssl.steps.pretrain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.contssl.model.data.ImageDecodeException;
import org.springframework.batch.core.listener.SkipListener;

/**
 * Lists every skipped stream image (index, path, reason) in {@code skipped.csv} for the report. A restart
 * re-reads the records after the last checkpoint, so entries are de-duplicated by stream index.
 */
public class SkippedImagesListener implements SkipListener<StreamItem, StreamItem> {

    public static final String HEADER = "index,path,reason,detail";
    private final Path file;
    private final Set<String> seen = new HashSet<>();

    public SkippedImagesListener(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    seen.add(line.split(",", 2)[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void onSkipInProcess(StreamItem item, Throwable t) {
        String key = Long.toString(item.index());
        if (!seen.add(key)) {
            return;
        }
        String reason = t instanceof ImageDecodeException bad ? bad.reason().name().toLowerCase() : "error";
        String detail = t instanceof ImageDecodeException bad ? bad.detail() : String.valueOf(t.getMessage());
        String line = key + "," + csv(item.file().toString()) + "," + reason + "," + csv(detail) + "\n";
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String csv(String s) {
        String v = s == null ? "" : s.replace("\n", " ");
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
