package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.contssl.jobs.status.ExecutionHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad images in the stream, the skip limit, a damaged checkpoint, and a crash in the middle of the probes. */
class FaultsTest {

    /** A tree with five bad files (empty, not an image, truncated, decompression bomb, broken JPEG) among 400 good. */
    private static Path treeWithBadImages(Path root) throws Exception {
        Path tree = TestImageTree.create(root, 10, 40, 16, 5);
        Path dir = tree.resolve("class_03");
        Files.write(dir.resolve("zz_empty.png"), new byte[0]);
        Files.writeString(dir.resolve("zz_text.png"), "not an image at all");
        byte[] good = Files.readAllBytes(tree.resolve("class_01/img_0000.png"));
        Files.write(dir.resolve("zz_truncated.png"), java.util.Arrays.copyOf(good, good.length / 2));
        Files.write(dir.resolve("zz_bomb.png"), pngHeaderOnly(100_000, 100_000));
        Files.write(dir.resolve("zz_broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00});
        return tree;
    }

    /** A PNG signature and an IHDR that declares width × height, and nothing else. */
    private static byte[] pngHeaderOnly(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeBytes("IHDR");
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[] {8, 0, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(ihdr.toByteArray());
        DataOutputStream o = new DataOutputStream(out);
        o.writeInt(13);
        o.write(ihdr.toByteArray());
        o.writeInt((int) crc.getValue());
        return out.toByteArray();
    }

    @Test
    void badStreamImagesAreSkippedCountedAndListed(@TempDir Path root) throws Exception {
        Path tree = treeWithBadImages(root.resolve("images"));
        Path workdir = root.resolve("run");
        // a bad probe image fails the probe (tested elsewhere): pick a seed whose held-out split keeps them all in the stream
        long seed = seedKeepingBadFilesInTheStream(tree, root.resolve("scratch"));
        int code = Main.execute(PipelineFixture.args("run", workdir, PipelineFixture.overrides(tree,
                "data.probe_train_size=10", "data.probe_test_size=10", "data.skip_limit=0.05",
                "environment.seed=" + seed)));
        List<String> streamFiles = streamRecords(workdir);
        long badInStream = streamFiles.stream().filter(p -> p.contains("zz_")).count();
        if (badInStream == 0) {
            throw new AssertionError("the seeded split put no bad file in the stream; pick another tree seed");
        }
        assertThat(code).isEqualTo(ExitCodes.OK);
        ExecutionHistory.Step stream = PipelineFixture.history(workdir).of("pretrain").get(0).steps().stream()
                .filter(s -> s.name().equals("stream")).findFirst().orElseThrow();
        long keptBad = streamFiles.stream().limit(stream.readCount()).filter(p -> p.contains("zz_")).count();
        assertThat(stream.processSkipCount()).isEqualTo(keptBad);
        assertThat(stream.writeCount()).isEqualTo(stream.readCount() - keptBad);
        String skipped = Files.readString(workdir.resolve("skipped.csv"));
        assertThat(skipped.lines().count() - 1).isEqualTo(keptBad);
        JsonNode results = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
        assertThat(results.get("skipped_images_total").asLong()).isEqualTo(keptBad);
        if (skipped.contains("zz_bomb")) {
            assertThat(skipped).contains("too_large");
        }
    }

    private static long seedKeepingBadFilesInTheStream(Path tree, Path scratch) throws Exception {
        for (long seed = 0; seed < 50; seed++) {
            var plan = org.contssl.lists.stream.StreamPlanner.build(org.contssl.lists.stream.StreamRequest
                    .builder(scratch.resolve("s" + seed)).source("folder:" + tree).streamSize(0).seed(seed)
                    .probeTrainSize(10).probeTestSize(10).oodProbe(false).build());
            boolean clean = true;
            for (var set : plan.probes().values()) {
                for (Path list : List.of(set.trainList(), set.testList())) {
                    try (var l = org.contssl.lists.MemmapList.open(list)) {
                        for (long i = 0; i < l.size(); i++) {
                            clean &= !l.pathAt(i).contains("zz_");
                        }
                    }
                }
            }
            if (clean) {
                return seed;
            }
        }
        throw new AssertionError("no seed in 0..49 keeps the bad files out of the probe sets");
    }

    @Test
    void pastTheSkipLimitTheRunFailsWithOneLine(@TempDir Path root) throws Exception {
        Path tree = treeWithBadImages(root.resolve("images"));
        Path workdir = root.resolve("run");
        // the lists job fails on a bad probe image before training: keep them all in the stream, as above
        long seed = seedKeepingBadFilesInTheStream(tree, root.resolve("scratch"));
        int code = Main.execute(PipelineFixture.args("run", workdir, PipelineFixture.overrides(tree,
                "data.probe_train_size=10", "data.probe_test_size=10", "data.skip_limit=0",
                "environment.seed=" + seed)));
        assertThat(code).isEqualTo(ExitCodes.JOB_FAILED);
        ExecutionHistory.Job pipeline = PipelineFixture.history(workdir).of("pipeline").get(0);
        assertThat(pipeline.reason()).contains("pretrain/stream").contains("bad images").contains("data.skip_limit");
        assertThat(pipeline.reason()).doesNotContain("\n");
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToThePreviousOne(@TempDir Path root) throws Exception {
        Path tree = TestImageTree.create(root.resolve("images"), 10, 40, 16, 9);
        Path workdir = root.resolve("run");
        List<String> overrides = PipelineFixture.overrides(tree, "data.insize=24", "model.num_updates=4");
        Process run = PipelineFixture.startChild(root.resolve("run.log"), PipelineFixture.args("run", workdir, overrides));
        Path target = workdir.resolve("checkpoints/checkpoint_0.5000");
        while (!Files.exists(target) && run.isAlive()) {
            Thread.sleep(2);
        }
        run.destroyForcibly();
        run.waitFor();
        // flip bytes in the newest checkpoint's model section
        Path newest = newestCheckpoint(workdir.resolve("checkpoints"));
        Path model;
        try (Stream<Path> files = Files.list(newest)) {
            model = files.filter(p -> p.getFileName().toString().startsWith("model")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(model, bytes);

        Process restart = PipelineFixture.startChild(root.resolve("restart.log"), "restart", "--workdir",
                workdir.toString());
        PipelineFixture.awaitSuccess(restart, root.resolve("restart.log"), 300);
        String log = Files.readString(root.resolve("restart.log"));
        assertThat(log).contains(newest.getFileName() + ": section model fails its SHA-256")
                .contains("falling back to the previous valid checkpoint");
        assertThat(workdir.resolve("checkpoints/checkpoint_final")).isDirectory();
    }

    @Test
    void aCrashDuringTheProbesReRunsOnlyTheUnfinishedPartitions(@TempDir Path root) throws Exception {
        Path tree = TestImageTree.create(root.resolve("images"), 10, 40, 16, 13);
        Path workdir = root.resolve("run");
        List<String> overrides = PipelineFixture.overrides(tree, "eval.progress=0.25,0.5,0.75,1.0");
        Process run = PipelineFixture.startChild(root.resolve("run.log"), PipelineFixture.args("run", workdir, overrides));
        Path probes = workdir.resolve("probes");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (run.isAlive() && System.nanoTime() < deadline && count(probes) < 2) {
            Thread.sleep(2);
        }
        // partitions run one at a time (environment.workers=1): the second result file exists only after the first
        // partition's step execution was committed, and H2 writes every commit through to its file (WRITE_DELAY=0),
        // so the kill cannot take that COMPLETED back
        assertThat(run.isAlive()).as("killed in the middle of the probes").isTrue();
        run.destroyForcibly();
        run.waitFor();
        long finishedBeforeCrash = count(probes);
        java.util.Map<Path, java.nio.file.attribute.FileTime> resultsBeforeCrash = new java.util.HashMap<>();
        try (Stream<Path> s = Files.list(probes)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                resultsBeforeCrash.put(p, Files.getLastModifiedTime(p));
            }
        }

        Process restart = PipelineFixture.startChild(root.resolve("restart.log"), "restart", "--workdir",
                workdir.toString());
        PipelineFixture.awaitSuccess(restart, root.resolve("restart.log"), 300);

        List<ExecutionHistory.Job> probeJobs = PipelineFixture.history(workdir).of("probe");
        assertThat(probeJobs).hasSize(2);
        List<String> rerun = new ArrayList<>();
        probeJobs.get(1).steps().stream().filter(s -> s.name().startsWith("probePartition:"))
                .forEach(s -> rerun.add(s.name()));
        long partitions = probeJobs.get(0).steps().stream().filter(s -> s.name().startsWith("probePartition:")).count();
        assertThat(partitions).isEqualTo(6); // 4 checkpoints + 2 floors on one dataset
        List<String> completedBeforeCrash = probeJobs.get(0).steps().stream()
                .filter(s -> s.name().startsWith("probePartition:") && s.status().equals("COMPLETED"))
                .map(ExecutionHistory.Step::name).toList();
        assertThat(completedBeforeCrash).isNotEmpty();
        assertThat(rerun).doesNotContainAnyElementsOf(completedBeforeCrash);
        assertThat(resultsBeforeCrash).as("results written before the crash").isNotEmpty();
        resultsBeforeCrash.forEach((file, mtime) -> assertThat(uncheckedMtime(file)).as(file + " recomputed")
                .isEqualTo(mtime));
        assertThat(rerun).hasSize((int) (partitions - completedBeforeCrash.size()));
        assertThat(finishedBeforeCrash).isGreaterThanOrEqualTo(completedBeforeCrash.size());
        assertThat(count(probes)).isEqualTo(partitions);
    }

    private static java.nio.file.attribute.FileTime uncheckedMtime(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long count(Path probes) throws Exception {
        if (!Files.isDirectory(probes)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(probes)) {
            return s.filter(p -> p.toString().endsWith(".json")).count();
        }
    }

    private static Path newestCheckpoint(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("checkpoint_0."))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
    }

    private static List<String> streamRecords(Path workdir) {
        List<String> out = new ArrayList<>();
        try (var list = org.contssl.lists.MemmapList.open(workdir.resolve("lists/stream.memmap"))) {
            for (long i = 0; i < list.size(); i++) {
                out.add(list.pathAt(i));
            }
        }
        return out;
    }
}
