package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.contssl.jobs.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a sweep (and so to {@code reproduce}, which runs one; docs/failures.md): the cell in flight stops at a
 * checkpoint, no further cell starts, the process exits with the stopped code, and the same command run again
 * finishes every cell.
 */
class SweepStopTest {

    @Test
    void sigtermStopsTheSweepAndRunningItAgainFinishesIt(@TempDir Path root) throws Exception {
        Path tree = TestImageTree.create(root.resolve("images"), 10, 40, 16, 11);
        Path sweep = root.resolve("sweep");
        List<String> args = new ArrayList<>(List.of("sweep", "--root", sweep.toString()));
        for (String o : PipelineFixture.overrides(tree, "model.buffer_type=fifo", "logging.save_freq=0.25")) {
            args.add("--set");
            args.add(o);
        }
        args.add("--set");
        args.add("eval.progress=1.0");
        args.add("environment.seed=0,1");
        Path firstCell = sweep.resolve("cells/environment.seed-0");
        Path secondCell = sweep.resolve("cells/environment.seed-1");

        Path log1 = root.resolve("sweep1.log");
        Process run = PipelineFixture.startChild(log1, args.toArray(String[]::new));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        boolean sent = false;
        while (run.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(firstCell.resolve("checkpoints/checkpoint_0.2500"))) {
                run.destroy(); // SIGTERM, while the first cell pretrains
                sent = true;
                break;
            }
            Thread.sleep(2);
        }
        assertThat(sent).as("SIGTERM reached the first cell; log:\n" + Files.readString(log1)).isTrue();
        assertThat(PipelineFixture.await(run, 180)).as(Files.readString(log1)).isEqualTo(ExitCodes.STOPPED);
        assertThat(Files.readString(log1)).contains("sweep STOPPED on request (SIGTERM)");
        assertThat(PipelineFixture.history(firstCell).of("pipeline").get(0).status()).isEqualTo("STOPPED");
        assertThat(secondCell.resolve("config.resolved.yaml")).as("no cell starts after the stop").doesNotExist();
        assertThat(secondCell.resolve("jobs.mv.db")).doesNotExist();

        Path log2 = root.resolve("sweep2.log");
        Process again = PipelineFixture.startChild(log2, args.toArray(String[]::new));
        PipelineFixture.awaitSuccess(again, log2, 600);
        assertThat(firstCell.resolve("checkpoints/checkpoint_final/manifest.json")).isRegularFile();
        assertThat(secondCell.resolve("checkpoints/checkpoint_final/manifest.json")).isRegularFile();
        assertThat(Files.readString(sweep.resolve("compare/sweep.md"))).contains("2 of 2 cells completed");
    }
}
