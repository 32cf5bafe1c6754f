package org.contssl.steps.probe.sets;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.Sidecars;

/**
 * The JSON files in which the lists job hands probe sets it derived (user sets, domain unions) to the probe step:
 * written atomically, read back as written.
 */
final class ProbeSetFiles {

    private ProbeSetFiles() {
    }

    static void write(Path file, List<ProbeSet> sets) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, Sidecars.MAPPER.writeValueAsBytes(sets));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The sets in {@code file}; empty when the lists job wrote none. */
    static List<ProbeSet> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Sidecars.MAPPER.readValue(file.toFile(), new TypeReference<List<ProbeSet>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (run the lists job again)", e);
        }
    }
}
