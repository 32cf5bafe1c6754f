package org.contssl.steps.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresetDiscoveryTest {

    @Test
    void everyShippedPresetIsDiscoveredAndLoads() throws IOException {
        List<String> onDisk;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/presets"))) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
        }
        assertThat(ConfigLoader.presetNames()).contains(ConfigLoader.DEFAULT_PRESET).isEqualTo(onDisk);
        for (String name : ConfigLoader.presetNames()) {
            // a paper preset needs the user's data keys; given them (any value), every preset resolves
            List<String> data = Presets.missingKeys(ConfigLoader.readPreset(name)).stream().map(k -> k + "=x").toList();
            assertThat(ConfigLoader.load(name, data).hash()).as(name).hasSize(16);
        }
    }

    @Test
    void findsPresetsInAClassesFolder(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("presets/nested"));
        Files.writeString(dir.resolve("presets/zeta.yaml"), "a: 1\n");
        Files.writeString(dir.resolve("presets/alpha.yaml"), "a: 1\n");
        Files.writeString(dir.resolve("presets/notes.txt"), "not a preset\n");
        Files.writeString(dir.resolve("presets/nested/deep.yaml"), "a: 1\n");
        assertThat(Presets.namesIn(dir)).containsExactly("alpha", "zeta");
        assertThat(Presets.namesIn(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void findsPresetsInAJar(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("presets/", "presets/demo.yaml", "presets/minred.yaml", "presets/sub/x.yaml",
                    "other/y.yaml", "presets/readme.md", "presets/.yaml")) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    write(out, "a: 1\n");
                }
                out.closeEntry();
            }
        }
        assertThat(Presets.namesIn(jar)).containsExactly("demo", "minred");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
