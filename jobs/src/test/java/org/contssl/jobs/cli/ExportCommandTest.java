package org.contssl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.contssl.model.Engines;
import org.contssl.model.ModelState;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.io.PretrainedWeights;
import org.contssl.model.optim.LrSchedule;
import org.contssl.steps.pretrain.TrainingCheckpoints;
import org.contssl.storage.checkpoint.CheckpointStore;
import org.contssl.storage.checkpoint.SectionWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export} on a workdir with two checkpoints: defaults, --checkpoint/--out, and bad inputs (exit 6). */
class ExportCommandTest {
    static final SimSiamSpec SPEC = SimSiamSpec.of("conv4", 1, 16, false);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workdir;

    @BeforeAll
    static void engine() {
        Engines.configure(1, 1);
    }

    /** Trains {@code steps} steps from seed 5 and stores the trainer's state as checkpoint {@code name}. */
    private ModelState checkpoint(CheckpointStore store, String name, double progress, int steps) throws Exception {
        try (SimSiamTrainer t = SimSiamTrainer.create(SPEC, OptimSpec.reference(0.05, LrSchedule.COS, 10), 5)) {
            float[] x = new float[4 * SPEC.imageFloats()];
            java.util.Random r = new java.util.Random(steps);
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                t.step(x, x.clone(), 4);
            }
            Map<String, SectionWriter> sections = new LinkedHashMap<>();
            sections.put(TrainingCheckpoints.MODEL, t::saveState);
            store.write(name, progress, Map.of("step", Integer.toString(steps)), sections);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            t.saveState(out);
            return ModelState.read(new java.io.ByteArrayInputStream(out.toByteArray()), name);
        }
    }

    @Test
    void exportsTheFinalCheckpointByDefaultAndANamedOneOnRequest() throws Exception {
        CheckpointStore store = new CheckpointStore(Files.createDirectories(workdir.resolve("checkpoints")));
        ModelState half = checkpoint(store, "checkpoint_0.5000", 0.5, 1);
        ModelState last = checkpoint(store, CheckpointStore.FINAL, 1.0, 2);

        assertThat(Main.execute("export", "--workdir", workdir.toString())).isEqualTo(ExitCodes.OK);
        Path dir = workdir.resolve("export");
        for (String f : new String[] {"checkpoint_final.pth", "checkpoint_final.safetensors"}) {
            ModelState back = PretrainedWeights.read(dir.resolve(f), SPEC);
            last.tensors().forEach((k, v) -> assertThat(back.tensors().get(k).data()).as(f + " " + k)
                    .isEqualTo(v.data()));
        }
        JsonNode m = JSON.readTree(dir.resolve("checkpoint_final.json").toFile());
        assertThat(m.at("/model/backbone").asText()).isEqualTo("conv4");
        assertThat(m.at("/model/feature_dim").asInt()).isEqualTo(256);
        assertThat(m.at("/checkpoint/name").asText()).isEqualTo("checkpoint_final");
        assertThat(m.at("/checkpoint/step").asText()).isEqualTo("2");
        assertThat(m.at("/files").size()).isEqualTo(2);
        assertThat(m.at("/files/0/sha256").asText()).hasSize(64);

        Path out = workdir.resolve("half.safetensors");
        assertThat(Main.execute("export", "--workdir", workdir.toString(), "--checkpoint", "checkpoint_0.5000",
                "--out", out.toString())).isEqualTo(ExitCodes.OK);
        assertThat(workdir.resolve("half.safetensors.json")).isRegularFile();
        ModelState back = PretrainedWeights.read(out, SPEC);
        half.tensors().forEach((k, v) -> assertThat(back.tensors().get(k).data()).as(k).isEqualTo(v.data()));
    }

    @Test
    void missingWorkdirOrCheckpointIsABadInput() throws Exception {
        assertThat(Main.execute("export", "--workdir", workdir.resolve("nothing").toString()))
                .isEqualTo(ExitCodes.BAD_INPUT);
        Files.createDirectories(workdir.resolve("checkpoints"));
        assertThat(Main.execute("export", "--workdir", workdir.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Main.execute("export", "--workdir", workdir.toString(), "--checkpoint", "checkpoint_0.1000"))
                .isEqualTo(ExitCodes.BAD_INPUT);
    }
}
