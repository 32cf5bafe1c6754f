package org.contssl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.contssl.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --worker-wait} is inherited by every command like {@code --db}; a bad value is a one-line usage error. */
class WorkerWaitOptionTest {

    @TempDir
    Path dir;

    @Test
    void aNegativeOrNonNumericWaitIsAUsageErrorNamingTheOption() {
        for (String bad : new String[] {"-1", "soon", "7200"}) {
            CliRun run = CliRun.of("status", "--worker-wait", bad, "--workdir", dir.toString());
            assertThat(run.code()).as(bad).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).as(bad).contains("--worker-wait");
        }
    }

    @Test
    void aValidWaitIsAcceptedByEveryCommand() {
        // an empty workdir: status itself reports bad input, after the option was accepted
        CliRun run = CliRun.of("status", "--worker-wait", "0", "--workdir", dir.resolve("none").toString());
        assertThat(run.code()).isNotEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("sweep", "--help", "--worker-wait", "10").out()).contains("--worker-wait");
    }
}
