package org.contssl.storage.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static Map<String, SectionWriter> sections(String tag) {
        Map<String, SectionWriter> s = new LinkedHashMap<>();
        s.put("model", out -> out.write(("params of " + tag).repeat(1000).getBytes(StandardCharsets.UTF_8)));
        s.put("optimizer", out -> out.write(("momentum " + tag).getBytes(StandardCharsets.UTF_8)));
        s.put("state", out -> out.write(("{\"step\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8)));
        return s;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void writesListsAndVerifiesCheckpointsInProgressOrder() throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        store.write(CheckpointStore.FINAL, 1.0, sections("final"));
        store.write(CheckpointStore.nameFor(0.5), 0.5, Map.of("step", "500"), sections("half"));
        store.write(CheckpointStore.nameFor(0.25), 0.25, sections("quarter"));
        List<String> names = store.list().stream().map(Checkpoint::name).collect(Collectors.toList());
        assertThat(names).containsExactly("checkpoint_0.2500", "checkpoint_0.5000", "checkpoint_final");
        Checkpoint half = store.verify("checkpoint_0.5000");
        assertThat(half.metadata()).containsEntry("step", "500");
        assertThat(half.sectionNames()).containsExactly("model", "optimizer", "state");
        byte[] model = half.readAll("model");
        assertThat(new String(model, StandardCharsets.UTF_8)).startsWith("params of half");
        assertThat(half.sha256("model")).isEqualTo(sha(model));
        assertThat(store.sectionSha256("checkpoint_final", "model"))
                .isEqualTo(sha(("params of final").repeat(1000).getBytes(StandardCharsets.UTF_8)));
        LoadResult r = store.loadLatestValid();
        assertThat(r.checkpoint()).get().extracting(Checkpoint::name).isEqualTo("checkpoint_final");
        assertThat(r.rejected()).isEmpty();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void corruptedNewestFallsBackToThePreviousValidOneAndSaysWhy() throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        store.write(CheckpointStore.nameFor(0.05), 0.05, sections("a"));
        store.write(CheckpointStore.nameFor(0.10), 0.10, sections("b"));
        Checkpoint c = store.write(CheckpointStore.nameFor(0.15), 0.15, sections("c"));
        store.write(CheckpointStore.nameFor(0.20), 0.20, sections("d"));
        // 0.20: a flipped byte; 0.15: truncated manifest
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("checkpoint_0.2000/model.bin").toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0x10);
        }
        Path manifest = c.dir().resolve(CheckpointStore.MANIFEST);
        Files.write(manifest, java.util.Arrays.copyOf(Files.readAllBytes(manifest), 40));
        LoadResult r = store.loadLatestValid();
        assertThat(r.checkpoint()).get().extracting(Checkpoint::name).isEqualTo("checkpoint_0.1000");
        assertThat(r.rejected()).hasSize(2);
        assertThat(r.rejected()).anySatisfy(m -> assertThat(m).startsWith("checkpoint_0.2000")
                .contains("section model fails its SHA-256").doesNotContain("\n"));
        assertThat(r.rejected()).anySatisfy(m -> assertThat(m).startsWith("checkpoint_0.1500")
                .contains("manifest").doesNotContain("\n"));
        assertThat(r.summary()).startsWith("resuming from checkpoint_0.1000; skipped checkpoint_0.");
        assertThatThrownBy(() -> store.verify("checkpoint_0.2000")).isInstanceOf(CheckpointException.class);
        // a rewrite of a damaged checkpoint replaces it atomically
        store.write(CheckpointStore.nameFor(0.20), 0.20, sections("d2"));
        assertThat(store.loadLatestValid().checkpoint()).get().extracting(Checkpoint::name)
                .isEqualTo("checkpoint_0.2000");
    }

    @Test
    void aWriterThatFailsLeavesNothingBehind() throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        Map<String, SectionWriter> s = new LinkedHashMap<>(sections("x"));
        s.put("buffer", out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        });
        assertThatThrownBy(() -> store.write(CheckpointStore.nameFor(0.3), 0.3, s))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("checkpoint_0.3000")
                .hasMessageContaining("disk full").hasMessageNotContaining("\n");
        try (Stream<Path> l = Files.list(dir)) {
            assertThat(l).isEmpty();
        }
        assertThat(store.loadLatestValid().checkpoint()).isEmpty();
        assertThatThrownBy(() -> CheckpointStore.nameFor(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write("../escape", 0.1, sections("y")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void killDuringAWriteLeavesThePreviousCheckpointsIntact() throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        store.write(CheckpointStore.nameFor(0.25), 0.25, sections("q"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SlowCheckpointWriter.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo("WRITING");
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (Stream<Path> l = Files.list(dir)) {
            assertThat(l.map(x -> x.getFileName().toString())).anyMatch(n -> n.startsWith(".tmp-"));
        }
        CheckpointStore reopened = new CheckpointStore(dir);
        try (Stream<Path> l = Files.list(dir)) {
            assertThat(l.map(x -> x.getFileName().toString())).containsExactly("checkpoint_0.2500");
        }
        LoadResult res = reopened.loadLatestValid();
        assertThat(res.checkpoint()).get().extracting(Checkpoint::name).isEqualTo("checkpoint_0.2500");
        assertThat(res.rejected()).isEmpty();
    }

    @Test
    void openingTheStoreLeavesAnotherLiveProcesssWriteAlone() throws Exception {
        Path live = dir.resolve(".tmp-checkpoint_0.9000-1-123"); // pid 1 is alive and not us
        Path dead = dir.resolve(".tmp-checkpoint_0.8000-2147483646-5");
        Files.createDirectories(live);
        Files.createDirectories(dead);
        new CheckpointStore(dir);
        assertThat(live).exists();
        assertThat(dead).doesNotExist();
    }
}
