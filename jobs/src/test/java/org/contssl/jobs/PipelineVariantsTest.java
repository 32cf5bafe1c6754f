package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.contssl.jobs.status.ExecutionHistory;
import org.contssl.lists.MemmapList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every buffer policy, the ResNet backbone, subsampling and the pseudo-video stream run end to end. */
class PipelineVariantsTest {

    @TempDir
    static Path shared;
    static Path tree;

    @BeforeAll
    static void images() throws Exception {
        tree = TestImageTree.create(shared.resolve("images"), 10, 40, 16, 3);
    }

    private static JsonNode results(Path workdir) throws Exception {
        return new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
    }

    private static long finalStep(Path workdir) throws Exception {
        return new ObjectMapper().readTree(workdir.resolve("checkpoints/checkpoint_final/manifest.json").toFile())
                .get("metadata").get("step").asLong();
    }

    @ParameterizedTest
    @ValueSource(strings = {"minred", "reservoir", "none"})
    void everyBufferPolicyTrainsTheReferenceStepBudget(String policy, @TempDir Path workdir) throws Exception {
        int code = Main.execute(PipelineFixture.args("run", workdir,
                PipelineFixture.overrides(tree, "model.buffer_type=" + policy)));
        assertThat(code).isEqualTo(ExitCodes.OK);
        // 288 kept records in chunks of 32: T·R/B = 18 steps with a buffer, T/B = 9 without
        assertThat(finalStep(workdir)).isEqualTo("none".equals(policy) ? 9 : 18);
        assertThat(results(workdir).get("method").get("buffer_type").asText()).isEqualTo(policy);
        if (!"none".equals(policy)) {
            assertThat(Files.readString(workdir.resolve("metrics.csv"))).contains(",drain,");
        }
    }

    @Test
    void compareReportPutsAFifoAndAMinRedRunSideBySide(@TempDir Path root) throws Exception {
        Path fifo = root.resolve("fifo");
        Path minred = root.resolve("minred");
        assertThat(Main.execute(PipelineFixture.args("run", fifo, PipelineFixture.overrides(tree)))).isZero();
        assertThat(Main.execute(PipelineFixture.args("run", minred,
                PipelineFixture.overrides(tree, "model.buffer_type=minred")))).isZero();
        Path out = root.resolve("compare");
        assertThat(Main.execute("report", "--compare", fifo.toString(), minred.toString(), "--out", out.toString()))
                .isZero();
        String md = Files.readString(out.resolve("compare.md"));
        assertThat(md).contains("FIFO buffer (×2)").contains("MinRed buffer (×2)");
        assertThat(out.resolve("compare.html")).isNotEmptyFile();
    }

    @Test
    void resnet18BackboneRunsEndToEnd(@TempDir Path workdir) throws Exception {
        int code = Main.execute(PipelineFixture.args("run", workdir,
                PipelineFixture.overrides(tree, "model.backbone=resnet18", "model.num_updates=1")));
        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(results(workdir).get("probes").toString()).contains("\"feature_dim\":512");
    }

    @Test
    void subsampledMinRedStreamUsesPostSubsamplePositions(@TempDir Path workdir) throws Exception {
        int code = Main.execute(PipelineFixture.args("run", workdir, PipelineFixture.overrides(tree,
                "model.buffer_type=minred", "data.subsample=4", "model.buff_siz=32", "optim.batch_size=16")));
        assertThat(code).isEqualTo(ExitCodes.OK);
        try (MemmapList full = MemmapList.open(workdir.resolve("lists/stream.memmap"));
             MemmapList sub = MemmapList.open(workdir.resolve("lists/stream_sub4.memmap"))) {
            assertThat(sub.size()).isEqualTo(full.size() / 4);
            assertThat(sub.pathAt(5)).isEqualTo(full.pathAt(20));
        }
        ExecutionHistory.Step stream = PipelineFixture.history(workdir).of("pretrain").get(0).steps().stream()
                .filter(s -> s.name().equals("stream")).findFirst().orElseThrow();
        assertThat(stream.readCount()).isEqualTo(64); // 75 subsampled records, tail of 11 dropped (batch 16)
        // MinRed's statistics reached the entries: the buffer reports trained entries and neighbour similarities
        String metrics = Files.readString(workdir.resolve("metrics.csv"));
        String last = metrics.lines().reduce((a, b) -> b).orElseThrow();
        String[] cols = last.split(",");
        assertThat(Double.parseDouble(cols[11])).as("mean num_seen").isGreaterThan(0.5);
        assertThat(cols[12]).as("mean neighbour similarity").isNotIn("NaN", "");
    }

    @Test
    void pseudoVideoStreamFromAFolderRunsEndToEnd(@TempDir Path workdir) throws Exception {
        int code = Main.execute(PipelineFixture.args("run", workdir, PipelineFixture.overrides(tree,
                "data.stream=sequential", "data.clip_length=4", "data.num_files=256", "model.buffer_type=minred")));
        assertThat(code).isEqualTo(ExitCodes.OK);
        JsonNode sidecar = new ObjectMapper().readTree(workdir.resolve("lists/stream.memmap.json").toFile());
        assertThat(sidecar.get("kind").asText()).isEqualTo("sequential");
        assertThat(results(workdir).get("stream").get("kind").asText()).isEqualTo("sequential");
    }
}
