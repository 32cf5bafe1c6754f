package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.contssl.jobs.sweep.SweepGrid;
import org.contssl.jobs.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code restart --workdir ROOT} of a sweep's root resumes the sweep: its unfinished cells, then the comparison. */
class SweepRestartTest {

    @TempDir
    Path shared;

    @Test
    void restartOfASweepRootRunsItsUnfinishedCells() throws Exception {
        Path tree = TestImageTree.create(shared.resolve("images"), 10, 24, 16, 11);
        Path root = shared.resolve("sweep");
        // a sweep whose manager died before running any cell: only its spec was written
        SweepSpec.write(root, SweepGrid.parse(null, PipelineFixture.overrides(tree, "eval.progress=1.0"),
                List.of("environment.seed=0")));

        assertThat(Main.execute("restart", "--workdir", root.toString())).isEqualTo(ExitCodes.OK);

        assertThat(root.resolve("cells/environment.seed-0/checkpoints/checkpoint_final/manifest.json"))
                .isRegularFile();
        assertThat(Files.readString(root.resolve("compare/sweep.md"))).contains("1 of 1 cells completed");
        // nothing is left: a second restart completes without running the cell again
        assertThat(Main.execute("restart", "--workdir", root.toString())).isEqualTo(ExitCodes.OK);
    }
}
