package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Video slots resume bit-exactly: a Kinetics frame-directory list of real camera frames with
 * {@code data.seq_sampling=random} (each replay of a buffer entry loads a fresh frame of its video) and
 * {@code data.n_seq_samples=16}, killed with SIGKILL while the buffer fills, after a checkpoint and after the stream
 * ended, and restarted each time, ends with the final parameters of an uninterrupted run.
 */
class KineticsCrashResumeTest {

    @TempDir
    static Path base;
    static Path list;

    @BeforeAll
    static void frames() throws Exception {
        list = OwnDataFixture.kineticsList(base);
    }

    private static List<String> overrides(String policy) {
        return OwnDataFixture.overrides(list, base, "sequential", "data.n_seq_samples=16",
                "data.seq_sampling=random", "model.buffer_type=" + policy, "model.num_updates=4",
                "logging.save_freq=0.05");
    }

    private record Moment(String name, Predicate<Path> reached) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"fifo", "minred"})
    void randomFrameVideoSlotsResumeToTheSameFinalParameters(String policy, @TempDir Path root) throws Exception {
        Path reference = root.resolve("uninterrupted");
        Process once = PipelineFixture.startChild(root.resolve("uninterrupted.log"),
                PipelineFixture.args("run", reference, overrides(policy)));
        PipelineFixture.awaitSuccess(once, root.resolve("uninterrupted.log"), 600);
        JsonNode results = new ObjectMapper().readTree(reference.resolve("reports/results.json").toFile());
        assertThat(results.get("skipped_images_total").asLong()).as("every slot's frames exist").isZero();
        String expected = CrashFixture.finalParamsSha(reference);

        Path workdir = root.resolve("killed");
        List<Moment> moments = List.of(
                new Moment("while the buffer fills", wd -> Files.isDirectory(wd.resolve("buffer"))),
                new Moment("after checkpoint_0.2500", wd -> Files.exists(wd.resolve("checkpoints/checkpoint_0.2500"))),
                new Moment("during the drain phase",
                        wd -> Files.exists(wd.resolve("checkpoints/checkpoint_stream_end"))));
        List<String> killedAt = new ArrayList<>();
        for (int i = 0; i < moments.size(); i++) {
            String[] args = i == 0 ? PipelineFixture.args("run", workdir, overrides(policy))
                    : new String[] {"restart", "--workdir", workdir.toString()};
            Process p = PipelineFixture.startChild(root.resolve("kill" + i + ".log"), args);
            if (CrashFixture.killWhen(p, workdir, moments.get(i).reached())) {
                killedAt.add(moments.get(i).name());
            }
        }
        Process last = PipelineFixture.startChild(root.resolve("final.log"), "restart", "--workdir",
                workdir.toString());
        PipelineFixture.awaitSuccess(last, root.resolve("final.log"), 600);

        assertThat(killedAt).as("SIGKILLs that hit pretraining").hasSizeGreaterThanOrEqualTo(2);
        assertThat(CrashFixture.finalParamsSha(workdir)).as("final parameters after kills at " + killedAt).isEqualTo(expected);
    }

}
