package org.contssl.storage.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One checkpoint directory as described by its manifest: named sections with their sizes and SHA-256. */
public final class Checkpoint {
    /** One section file. */
    public record Section(String name, String file, long bytes, String sha256) {}

    private final String name;
    private final double progress;
    private final Path dir;
    private final String created;
    private final Map<String, String> metadata;
    private final Map<String, Section> sections;

    Checkpoint(String name, double progress, Path dir, String created, Map<String, String> metadata,
               List<Section> sections) {
        this.name = name;
        this.progress = progress;
        this.dir = dir;
        this.created = created;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Map<String, Section> m = new LinkedHashMap<>();
        for (Section s : sections) {
            m.put(s.name(), s);
        }
        this.sections = Collections.unmodifiableMap(m);
    }

    public String name() {
        return name;
    }

    /** Fraction of the run's steps done when it was written (1.0 for the final one). */
    public double progress() {
        return progress;
    }

    public Path dir() {
        return dir;
    }

    /** ISO-8601 instant of writing. */
    public String created() {
        return created;
    }

    /** Small string facts given at write time. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public List<String> sectionNames() {
        return new ArrayList<>(sections.keySet());
    }

    public boolean hasSection(String section) {
        return sections.containsKey(section);
    }

    public Section section(String section) {
        Section s = sections.get(section);
        if (s == null) {
            throw new IllegalArgumentException("checkpoint " + name + " has no section '" + section + "' (it has "
                    + sections.keySet() + ")");
        }
        return s;
    }

    /** SHA-256 (lower-case hex) of a section, as recorded in the manifest (e.g. final_params_sha256). */
    public String sha256(String section) {
        return section(section).sha256();
    }

    public long size(String section) {
        return section(section).bytes();
    }

    /** Reads a section. Verify the checkpoint first ({@link CheckpointStore#verify}) when its integrity matters. */
    public InputStream open(String section) throws IOException {
        return Files.newInputStream(dir.resolve(section(section).file()));
    }

    public byte[] readAll(String section) throws IOException {
        return Files.readAllBytes(dir.resolve(section(section).file()));
    }

    @Override
    public String toString() {
        return name + " (progress " + progress + ", sections " + sections.keySet() + ")";
    }
}
