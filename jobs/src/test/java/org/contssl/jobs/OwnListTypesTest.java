package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.contssl.lists.MemmapList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference's text list formats run end to end on exported Fashion-MNIST images: a {@code standard} list whose
 * missing file is skipped by the skip policy even with virtual buffer shards, and a {@code class_sequential} run.
 */
class OwnListTypesTest {

    @Test
    void aStandardListWithAMissingImageSkipsItAndRunsWithTwoBufferShards(@TempDir Path root) throws Exception {
        // 111 images + 1 missing = 7 batches of 16: no tail is dropped, so wherever the seeded shuffle puts the
        // missing record it is read, skipped and counted
        List<String> images = OwnDataFixture.fashionMnistImages(root, 12).subList(0, 111);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            // extra tokens after the path are ignored, as in the reference
            lines.add(images.get(i) + (i % 2 == 0 ? " 0" : ""));
            if (i == 37) {
                lines.add("fmnist/missing/never-written.png");
            }
        }
        Path list = root.resolve("train.txt");
        Files.write(list, lines, StandardCharsets.UTF_8);
        Path workdir = root.resolve("run");
        int code = Main.execute(PipelineFixture.args("run", workdir, OwnDataFixture.overrides(list, root, "standard",
                "model.buffer_shards=2", "data.skip_limit=0.05")));
        assertThat(code).isEqualTo(ExitCodes.OK);

        JsonNode results = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
        assertThat(results.get("skipped_images_total").asLong()).isEqualTo(1);
        assertThat(Files.readString(workdir.resolve("skipped.csv"))).contains("never-written.png");
        try (MemmapList stream = MemmapList.open(workdir.resolve("lists/stream.memmap"))) {
            assertThat(stream.size()).isEqualTo(images.size() + 1);
            List<String> records = new ArrayList<>();
            for (long i = 0; i < stream.size(); i++) {
                records.add(stream.recordAt(i));
            }
            assertThat(records).containsAll(images).isNotEqualTo(lines); // a seeded shuffle of the list
        }
    }

    @Test
    void aClassSequentialListVisitsClassBlocks(@TempDir Path root) throws Exception {
        OwnDataFixture.fashionMnistImages(root, 12);
        Path workdir = root.resolve("run");
        // a class-folder tree: the folder is the list and the base directory
        int code = Main.execute(PipelineFixture.args("run", workdir, OwnDataFixture.overrides(root.resolve("fmnist"),
                root.resolve("fmnist"), "class_sequential", "data.n_cls_samples=4", "model.buffer_type=minred")));
        assertThat(code).isEqualTo(ExitCodes.OK);
        try (MemmapList stream = MemmapList.open(workdir.resolve("lists/stream.memmap"))) {
            assertThat(stream.size()).isEqualTo(120);
            for (long i = 0; i < stream.size(); i += 4) {
                // every class has 12 images: the stream is 30 blocks of 4 images of one class
                for (long k = 1; k < 4; k++) {
                    assertThat(stream.labelAt(i + k)).isEqualTo(stream.labelAt(i));
                }
            }
        }
        JsonNode results = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
        assertThat(results.get("final_params_sha256").asText()).hasSize(64);
    }
}
