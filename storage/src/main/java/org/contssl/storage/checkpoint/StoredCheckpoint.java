package org.contssl.storage.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint on disk, as its manifest describes it: name, ordering sequence, the caller's metadata and the
 * SHA-256 and size of each section.
 */
public record StoredCheckpoint(Path dir, String name, long sequence, Map<String, String> meta,
                               Map<String, SectionInfo> sections) {

    public record SectionInfo(long bytes, String sha256) {
    }

    public InputStream open(String section) throws IOException {
        if (!sections.containsKey(section)) {
            throw new NoSuchFileException(dir.resolve(section).toString(), null,
                    "checkpoint " + name + " has no section " + section);
        }
        return Files.newInputStream(dir.resolve(section));
    }

    public Path file(String section) {
        return dir.resolve(section);
    }

    public String sha256(String section) {
        SectionInfo info = sections.get(section);
        return info == null ? null : info.sha256();
    }
}
