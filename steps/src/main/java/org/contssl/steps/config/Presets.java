package org.contssl.steps.config;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The presets shipped with contssl: every {@code presets/<name>.yaml} resource next to this class (in the shaded jar,
 * or in {@code target/classes} when run from the build). Discovered rather than listed, so a preset added under
 * {@code steps/src/main/resources/presets/} appears in {@code --help} and in error messages without a code change.
 */
public final class Presets {

    /** Resource folder of the presets (classpath-relative, no leading slash). */
    static final String DIR = "presets";
    private static final String SUFFIX = ".yaml";

    private static volatile List<String> names;

    private Presets() {
    }

    /** Sorted names of the shipped presets (file names without {@code .yaml}). */
    public static List<String> names() {
        List<String> known = names;
        if (known == null) {
            known = discover();
            names = known;
        }
        return known;
    }

    private static List<String> discover() {
        CodeSource source = Presets.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return List.of(ConfigLoader.DEFAULT_PRESET);
        }
        try {
            List<String> found = namesIn(Path.of(source.getLocation().toURI()));
            // the default preset is loaded by name whatever the scan sees; never offer an empty list
            return found.isEmpty() ? List.of(ConfigLoader.DEFAULT_PRESET) : found;
        } catch (URISyntaxException | IOException | RuntimeException e) {
            return List.of(ConfigLoader.DEFAULT_PRESET);
        }
    }

    /** Preset names under {@code presets/} of a classes directory or a jar file. */
    static List<String> namesIn(Path codeSource) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        if (Files.isDirectory(codeSource)) {
            Path dir = codeSource.resolve(DIR);
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                    for (Path f : files) {
                        if (Files.isRegularFile(f)) {
                            addIfPreset(out, f.getFileName().toString());
                        }
                    }
                }
            }
        } else if (Files.isRegularFile(codeSource)) {
            try (JarFile jar = new JarFile(codeSource.toFile())) {
                Enumeration<JarEntry> entries = jar.entries();
                String prefix = DIR + "/";
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    String rest = name.startsWith(prefix) ? name.substring(prefix.length()) : "";
                    // direct children only: a nested folder is not a preset name `--preset` could load
                    if (rest.indexOf('/') < 0) {
                        addIfPreset(out, rest);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static void addIfPreset(TreeSet<String> out, String fileName) {
        if (fileName.endsWith(SUFFIX) && fileName.length() > SUFFIX.length()) {
            out.add(fileName.substring(0, fileName.length() - SUFFIX.length()));
        }
    }
}
