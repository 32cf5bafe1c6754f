package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.status.ExecutionHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bit-exact resume (docs/design.md, "The restart rule"): a run killed with SIGKILL at several moments of
 * pretraining — while the buffer fills, right after a checkpoint, while a checkpoint is being written, between
 * checkpoints, during the drain phase — and restarted each time ends with final parameters bitwise identical to an
 * uninterrupted run.
 */
class CrashResumeTest {

    @TempDir
    static Path shared;
    static Path tree;

    @BeforeAll
    static void images() throws Exception {
        tree = TestImageTree.create(shared.resolve("images"), 10, 40, 16, 11);
    }

    private static List<String> overrides(String policy) {
        return PipelineFixture.overrides(tree, "model.buffer_type=" + policy, "data.insize=24",
                "model.num_updates=4", "logging.save_freq=0.05", "eval.progress=1.0");
    }

    /** A moment to kill at, recognised from the files a run leaves behind. */
    private record Moment(String name, Predicate<Path> reached) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"fifo", "minred"})
    void killedFiveTimesResumesToTheSameFinalParameters(String policy, @TempDir Path root) throws Exception {
        Path reference = root.resolve("uninterrupted");
        Process once = PipelineFixture.startChild(root.resolve("uninterrupted.log"),
                PipelineFixture.args("run", reference, overrides(policy)));
        PipelineFixture.awaitSuccess(once, root.resolve("uninterrupted.log"), 600);
        String expected = CrashFixture.finalParamsSha(reference);

        Path workdir = root.resolve("killed");
        List<Moment> moments = List.of(
                new Moment("while the buffer fills", wd -> Files.isDirectory(wd.resolve("buffer"))),
                new Moment("right after checkpoint_0.1000", wd -> Files.exists(wd.resolve("checkpoints/checkpoint_0.1000"))),
                new Moment("while a checkpoint is being written", CrashResumeTest::checkpointInProgress),
                new Moment("between checkpoints", wd -> Files.exists(wd.resolve("checkpoints/checkpoint_0.6000"))),
                new Moment("during the drain phase", wd -> Files.exists(wd.resolve("checkpoints/checkpoint_stream_end"))));
        List<String> killedAt = new ArrayList<>();
        for (int i = 0; i < moments.size(); i++) {
            Moment m = moments.get(i);
            String[] args = i == 0 ? PipelineFixture.args("run", workdir, overrides(policy))
                    : new String[] {"restart", "--workdir", workdir.toString()};
            Process p = PipelineFixture.startChild(root.resolve("kill" + i + ".log"), args);
            if (CrashFixture.killWhen(p, workdir, m.reached())) {
                killedAt.add(m.name());
            }
        }
        Process last = PipelineFixture.startChild(root.resolve("final.log"), "restart", "--workdir", workdir.toString());
        PipelineFixture.awaitSuccess(last, root.resolve("final.log"), 600);

        assertThat(killedAt).as("SIGKILLs that hit pretraining").hasSizeGreaterThanOrEqualTo(5);
        assertThat(CrashFixture.finalParamsSha(workdir)).as("final parameters after " + killedAt.size() + " kills")
                .isEqualTo(expected);
        // the per-insert mechanism rows (distinct clips, MinRed's oldest-first evictions) are cut back to the
        // restored checkpoint and re-appended: the killed run's file is the uninterrupted run's, row for row
        assertThat(Files.readAllLines(workdir.resolve("buffer_mechanism.csv")))
                .isEqualTo(Files.readAllLines(reference.resolve("buffer_mechanism.csv")));
        ExecutionHistory history = PipelineFixture.history(workdir);
        assertThat(history.of("pretrain")).hasSize(killedAt.size() + 1);
        assertThat(history.of("pretrain").get(killedAt.size()).status()).isEqualTo("COMPLETED");
    }

    private static boolean checkpointInProgress(Path workdir) {
        Path dir = workdir.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-"));
        } catch (IOException e) {
            return false;
        }
    }

}
