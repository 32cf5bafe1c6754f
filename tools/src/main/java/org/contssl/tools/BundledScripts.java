package org.contssl.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Python helpers shipped inside the jar ({@code tools/src/main/python}, packaged under
 * {@code org/contssl/tools/parity}), copied out to a temporary directory so Debian's interpreter can run them —
 * together, because one imports another.
 */
public final class BundledScripts {

    private static final String FOLDER = "/org/contssl/tools/parity/";

    private BundledScripts() {
    }

    /** Copies {@code names} into one fresh temporary directory and returns the path of the first. */
    public static Path extract(String... names) throws IOException {
        Path dir = Files.createTempDirectory("contssl-python");
        dir.toFile().deleteOnExit();
        for (String name : names) {
            try (InputStream in = BundledScripts.class.getResourceAsStream(FOLDER + name)) {
                if (in == null) {
                    throw new IOException(name + " is not bundled in this build (tools/src/main/python/" + name + ")");
                }
                Path out = dir.resolve(name);
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                out.toFile().deleteOnExit();
            }
        }
        return dir.resolve(names[0]);
    }
}
