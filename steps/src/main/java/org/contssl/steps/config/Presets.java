package org.contssl.steps.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.security.CodeSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The presets shipped under {@code presets/} on the classpath (plain YAML files, one experiment each), their
 * one-line descriptions, and the "required" marker. Presets are discovered (every {@code presets/<name>.yaml} in the
 * shaded jar, or in {@code target/classes} when run from the build), so a new file appears in {@code --help},
 * {@code presets} and error messages without a code change.
 *
 * <p>A preset may carry two top-level metadata keys that are not configuration: {@code description} (one line for
 * {@code presets}) and {@code requires} (required key → the format it expects, printed when the key is missing).
 * A value of {@code ???} marks a key the user must set, as Hydra's MISSING: the run exits 2 naming it.
 */
public final class Presets {

    /** Hydra's MISSING marker. */
    public static final String REQUIRED = "???";
    static final String DESCRIPTION = "description";
    static final String REQUIRES = "requires";
    /** Resource folder of the presets (classpath-relative, no leading slash). */
    static final String DIR = "presets";
    private static final String SUFFIX = ".yaml";

    private Presets() {
    }

    private static volatile List<String> names;

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

    /** The preset's {@code description:} key, else its first comment line, else "". */
    public static String description(String preset) {
        JsonNode d = ConfigLoader.readPreset(preset).get(DESCRIPTION);
        if (d != null && d.isTextual() && !d.asText().isBlank()) {
            return d.asText().trim();
        }
        try (InputStream in = open(preset);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String t = line.trim();
                if (t.startsWith("#")) {
                    return t.substring(1).trim();
                }
                if (!t.isEmpty()) {
                    break;
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    static InputStream open(String preset) throws IOException {
        if (preset.endsWith(".yaml") || preset.endsWith(".yml")) {
            return Files.newInputStream(Path.of(preset));
        }
        InputStream in = ConfigLoader.class.getResourceAsStream("/presets/" + preset + ".yaml");
        if (in == null) {
            throw new ConfigException("unknown preset '" + preset + "': use one of " + names()
                    + " or a path to a .yaml file");
        }
        return in;
    }

    /** Removes the metadata keys from a preset tree and returns its {@code requires} hints. */
    static Map<String, String> stripMetadata(ObjectNode tree) {
        tree.remove(DESCRIPTION);
        Map<String, String> hints = new LinkedHashMap<>();
        JsonNode requires = tree.remove(REQUIRES);
        if (requires instanceof ObjectNode r) {
            r.fields().forEachRemaining(e -> hints.put(e.getKey(), e.getValue().asText()));
        }
        return hints;
    }

    /** Dotted names of the leaves still set to {@code ???}, in file order. */
    public static List<String> missingKeys(JsonNode tree) {
        List<String> out = new ArrayList<>();
        collect(tree, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
            }
        } else if (node.isTextual() && REQUIRED.equals(node.asText())) {
            out.add(prefix);
        }
    }

    /** The one-line error for a missing required key. */
    static ConfigException missing(String preset, String key, Map<String, String> hints) {
        String format = hints.getOrDefault(key, "a value");
        return new ConfigException("preset " + preset + " requires " + key + " (" + format + "): pass " + key
                + "=...");
    }
}
