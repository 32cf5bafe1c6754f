package org.contssl.jobs.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.contssl.core.AtomicFiles;

/** {@code ROOT/sweep.json}: the grid a sweep root was created for, so `restart` needs nothing but the root. */
public final class SweepSpec {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepSpec() {
    }

    public static Path file(Path root) {
        return root.resolve("sweep.json");
    }

    public static boolean exists(Path root) {
        return Files.isRegularFile(file(root));
    }

    public static SweepGrid read(Path root) {
        try {
            return JSON.readValue(file(root).toFile(), SweepGrid.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sweep spec " + file(root), e);
        }
    }

    public static void write(Path root, SweepGrid grid) {
        try {
            AtomicFiles.write(file(root), JSON.writeValueAsString(grid).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep spec " + file(root), e);
        }
    }
}
