package org.contssl.steps.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
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
import java.util.stream.Stream;

/**
 * The presets shipped under {@code presets/} on the classpath (plain YAML files, one experiment each), their
 * one-line descriptions, and the "required" marker.
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

    private Presets() {
    }

    /** Names of the presets in the jar (or the classes directory in a build), sorted. */
    public static List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        try {
            URL location = Presets.class.getProtectionDomain().getCodeSource().getLocation();
            Path root = Path.of(location.toURI());
            if (Files.isDirectory(root)) {
                Path dir = root.resolve("presets");
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                                .forEach(f -> names.add(f.substring(0, f.length() - ".yaml".length())));
                    }
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        String n = entries.nextElement().getName();
                        if (n.startsWith("presets/") && n.endsWith(".yaml") && n.indexOf('/', 8) < 0) {
                            names.add(n.substring(8, n.length() - ".yaml".length()));
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | SecurityException e) {
            // fall through: the default preset is always there
        }
        if (names.isEmpty()) {
            names.add(ConfigLoader.DEFAULT_PRESET);
        }
        return List.copyOf(names);
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
