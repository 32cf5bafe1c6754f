package org.contssl.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * States written by an earlier build must keep loading and resuming exactly: checkpoint snapshots (the restart path)
 * and the durable Chronicle Map directory (reopen without the close-time snapshot, so every entry comes from its map
 * record). The fixtures under {@code src/test/resources/fixtures/} were written once by
 * {@link #writeFixtures} and are never regenerated for a format change: a change that breaks them breaks resumes.
 */
class SnapshotCompatibilityTest {
    private static final String RES = "/fixtures/";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    Path dir;

    static Stream<SnapshotFixtures.Case> cases() {
        return SnapshotFixtures.CASES.stream();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SnapshotCompatibilityTest.class.getResourceAsStream(RES + name)) {
            assertThat(in).as("fixture " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Workload resumedWorkload(SnapshotFixtures.Case c, JsonNode updates) {
        Workload w = c.workload();
        for (Iterator<Map.Entry<String, JsonNode>> it = updates.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            w.updates[Integer.parseInt(e.getKey())] = e.getValue().asInt();
        }
        return w;
    }

    private static void continueRun(SnapshotFixtures.Case c, Workload w, ReplayBuffer b) {
        for (int k = c.before(); k < c.before() + c.after(); k++) {
            w.chunk(b, k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oldSnapshotRestoresExactlyAndResumesAsTheOldCodeDid(SnapshotFixtures.Case c) throws IOException {
        byte[] snap = resource(c.name() + ".snapshot.bin");
        JsonNode exp = JSON.readTree(resource(c.name() + ".json"));
        assertThat(SnapshotFixtures.sha256(snap)).isEqualTo(exp.get("snapshotSha256").asText());
        try (ReplayBuffer b = ReplayBuffers.restore(c.spec(), dir.resolve("b"), new ByteArrayInputStream(snap))) {
            assertThat(b.streamIndices()).containsExactly(JSON.treeToValue(exp.get("streamIndices"), long[].class));
            assertThat(Workload.fingerprint(b)).isEqualTo(exp.get("fingerprint").asText());
            byte[] again = SnapshotAndPersistenceTest.snapshot(b);
            assertThat(SnapshotFixtures.describe(again)).containsExactlyElementsOf(strings(exp.get("entries")));
            SnapshotAndPersistenceTest.assertSameBytes(again, snap, c.name() + ": snapshot of the restored buffer");

            Workload w = resumedWorkload(c, exp.get("updates"));
            continueRun(c, w, b);
            assertThat(w.log).containsExactlyElementsOf(strings(exp.get("continuation")));
            assertThat(SnapshotFixtures.sha256(SnapshotAndPersistenceTest.snapshot(b)))
                    .isEqualTo(exp.get("continuationSha256").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oldBufferDirectoryReopensFromItsMapRecords(SnapshotFixtures.Case c) throws IOException {
        JsonNode exp = JSON.readTree(resource(c.name() + ".json"));
        Path d = dir.resolve("map");
        Files.createDirectories(d);
        for (String f : SnapshotFixtures.MAP_FILES) {
            try (InputStream in = new ByteArrayInputStream(resource(c.name() + ".map/" + f + ".gz"))) {
                SnapshotFixtures.gunzip(in, d.resolve(f));
            }
        }
        try (ReplayBuffer b = ReplayBuffers.open(c.spec(), d)) {
            assertThat(b.streamIndices()).containsExactly(JSON.treeToValue(exp.get("streamIndices"), long[].class));
            byte[] snap = SnapshotAndPersistenceTest.snapshot(b);
            assertThat(SnapshotFixtures.describe(snap)).containsExactlyElementsOf(strings(exp.get("reopenEntries")));
            Workload w = resumedWorkload(c, exp.get("updates"));
            continueRun(c, w, b);
            assertThat(w.log).containsExactlyElementsOf(strings(exp.get("continuation")));
            assertThat(SnapshotFixtures.sha256(SnapshotAndPersistenceTest.snapshot(b)))
                    .isEqualTo(exp.get("reopenContinuationSha256").asText());
        }
    }

    /**
     * Byte-level check of the map-record encoding: a buffer restored from the old snapshot writes, for every entry and
     * every shard, exactly the record the old code had in its map for the same state.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void restoredBufferWritesTheOldCodesEntryAndShardRecords(SnapshotFixtures.Case c) throws IOException {
        Path old = dir.resolve("old");
        Files.createDirectories(old);
        try (InputStream in = new ByteArrayInputStream(resource(c.name() + ".map/replay.cm.gz"))) {
            SnapshotFixtures.gunzip(in, old.resolve("replay.cm"));
        }
        Path now = dir.resolve("now");
        ReplayBuffers.restore(c.spec(), now, new ByteArrayInputStream(resource(c.name() + ".snapshot.bin"))).close();
        Map<Long, byte[]> before = entryAndShardRecords(old.resolve("replay.cm"), c.spec());
        Map<Long, byte[]> after = entryAndShardRecords(now.resolve("replay.cm"), c.spec());
        assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(before.keySet());
        assertThat(before).hasSizeGreaterThan(c.spec().shards());
        for (Map.Entry<Long, byte[]> e : before.entrySet()) {
            assertThat(after.get(e.getKey())).as("record " + e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** Entry records (key >= 0) and shard records (key -1 - shard) of a closed buffer map. */
    private static Map<Long, byte[]> entryAndShardRecords(Path file, BufferSpec spec) throws IOException {
        Map<Long, byte[]> out = new java.util.TreeMap<>();
        try (ChronicleMap<Long, byte[]> m = ChronicleMap.of(Long.class, byte[].class).entries(4096)
                .constantValueSizeBySample(new byte[Math.max(64 + 4 * spec.featureDim(), 128)])
                .createPersistedTo(file.toFile())) {
            m.forEach((k, v) -> {
                if (k >= -spec.shards()) {
                    out.put(k, v.clone());
                }
            });
        }
        return out;
    }

    /**
     * Writes the fixtures with the code as it is (run once, before a format-sensitive refactoring):
     * {@code mvn -o -pl storage test -Dtest=SnapshotCompatibilityTest -Dcontssl.writeFixtures=<resources/fixtures>}.
     */
    @Test
    @EnabledIfSystemProperty(named = "contssl.writeFixtures", matches = ".+")
    void writeFixtures() throws IOException {
        Path out = Path.of(System.getProperty("contssl.writeFixtures"));
        Files.createDirectories(out);
        for (SnapshotFixtures.Case c : SnapshotFixtures.CASES) {
            ObjectNode j = JSON.createObjectNode();
            j.put("case", c.toString());
            Path live = dir.resolve(c.name() + "-live");
            Workload w = c.workload();
            byte[] snap;
            try (ReplayBuffer b = ReplayBuffers.create(c.spec(), live)) {
                for (int k = 0; k < c.before(); k++) {
                    w.chunk(b, k);
                }
                snap = SnapshotAndPersistenceTest.snapshot(b);
                j.set("streamIndices", JSON.valueToTree(b.streamIndices()));
                j.put("fingerprint", Workload.fingerprint(b));
            }
            j.put("snapshotSha256", SnapshotFixtures.sha256(snap));
            ObjectNode updates = j.putObject("updates");
            for (int i = 0; i < w.updates.length; i++) {
                if (w.updates[i] != 0) {
                    updates.put(Integer.toString(i), w.updates[i]);
                }
            }
            ArrayNode entries = j.putArray("entries");
            SnapshotFixtures.describe(snap).forEach(entries::add);
            Files.write(out.resolve(c.name() + ".snapshot.bin"), snap);
            Path maps = out.resolve(c.name() + ".map");
            Files.createDirectories(maps);
            for (String f : SnapshotFixtures.MAP_FILES) {
                SnapshotFixtures.gzip(live.resolve(f), maps.resolve(f + ".gz"));
            }

            Workload resumed = resumedWorkload(c, updates);
            try (ReplayBuffer b = ReplayBuffers.restore(c.spec(), dir.resolve(c.name() + "-r"),
                    new ByteArrayInputStream(snap))) {
                continueRun(c, resumed, b);
                j.set("continuation", JSON.valueToTree(resumed.log));
                j.put("continuationSha256", SnapshotFixtures.sha256(SnapshotAndPersistenceTest.snapshot(b)));
            }
            Files.delete(live.resolve("replay.close-snapshot"));
            try (ReplayBuffer b = ReplayBuffers.open(c.spec(), live)) {
                ArrayNode re = j.putArray("reopenEntries");
                SnapshotFixtures.describe(SnapshotAndPersistenceTest.snapshot(b)).forEach(re::add);
                Workload again = resumedWorkload(c, updates);
                continueRun(c, again, b);
                assertThat(again.log).as("reopened from the map, the run continues as from the snapshot")
                        .containsExactlyElementsOf(resumed.log);
                j.put("reopenContinuationSha256", SnapshotFixtures.sha256(SnapshotAndPersistenceTest.snapshot(b)));
            }
            JSON.writeValue(out.resolve(c.name() + ".json").toFile(), j);
        }
        assertThat(Arrays.asList(out.toFile().list())).isNotEmpty();
    }
}
