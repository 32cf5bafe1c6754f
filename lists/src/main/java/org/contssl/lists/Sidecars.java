package org.contssl.lists;

import org.contssl.core.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing the JSON sidecar {@code <list>.json}. */
public final class Sidecars {

    public static final String SUFFIX = ".json";

    /** Shared, thread-safe once configured. Indented so a human can read the sidecar. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(plainPaths());

    /**
     * Paths as plain strings. Jackson's default writes URIs, and a URI gains a trailing slash once the directory
     * exists, which would make the same request serialise differently before and after a build.
     */
    private static SimpleModule plainPaths() {
        SimpleModule m = new SimpleModule("contssl-paths");
        m.addSerializer(Path.class, new ToStringSerializer(Path.class));
        m.addDeserializer(Path.class, new FromStringDeserializer<Path>(Path.class) {
            @Override
            protected Path _deserialize(String value, DeserializationContext ctxt) {
                return Path.of(value);
            }
        });
        return m;
    }

    private Sidecars() {
    }

    public static Path sidecarOf(Path list) {
        return list.resolveSibling(list.getFileName() + SUFFIX);
    }

    public static boolean isSidecar(Path p) {
        return p.getFileName().toString().endsWith(SUFFIX);
    }

    public static ListMetadata read(Path sidecar) {
        try {
            ListMetadata m = MAPPER.readValue(sidecar.toFile(), ListMetadata.class);
            if (m == null || m.recordWidth() == null || m.count() == null) {
                throw ListFormatException.ofFile(ListFormatException.Problem.SIDECAR_INVALID, sidecar,
                        "sidecar lacks recordWidth or count",
                        "delete the sidecar and open the list with --record-width/--count, or rebuild the list");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw ListFormatException.ofFile(ListFormatException.Problem.SIDECAR_INVALID, sidecar,
                    "sidecar is not valid JSON (" + e.getOriginalMessage() + ")",
                    "delete the sidecar and open the list with --record-width/--count, or rebuild the list");
        } catch (IOException e) {
            throw ListFormatException.ofFile(ListFormatException.Problem.IO_ERROR, sidecar,
                    "cannot read sidecar: " + e.getMessage(), "check the file's permissions");
        }
    }

    public static void write(Path sidecar, ListMetadata meta) {
        try {
            AtomicFiles.write(sidecar, MAPPER.writeValueAsBytes(meta));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise sidecar for " + sidecar, e);
        }
    }

    /** Resolves a path stored in a sidecar (relative ones are relative to the sidecar's directory). */
    static Path resolveStored(Path sidecar, String stored) {
        Path p = Path.of(stored);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        return sidecar.toAbsolutePath().getParent().resolve(p).normalize();
    }

    /**
     * The form of {@code target} to store in a sidecar at {@code sidecar}: relative when it lies in the same tree as
     * the sidecar (one level up covers {@code <workdir>/lists/} pointing at {@code <workdir>/data/}), so a workdir
     * can move; absolute otherwise (a user's own image folder stays where it is).
     */
    static String storeRelative(Path sidecar, Path target) {
        Path dir = sidecar.toAbsolutePath().normalize().getParent();
        Path abs = target.toAbsolutePath().normalize();
        Path root = dir.getParent() == null ? dir : dir.getParent();
        if (!abs.startsWith(root)) {
            return abs.toString();
        }
        String rel = dir.relativize(abs).toString();
        return rel.isEmpty() ? "." : rel;
    }

    static boolean exists(Path p) {
        return Files.isRegularFile(p);
    }
}
