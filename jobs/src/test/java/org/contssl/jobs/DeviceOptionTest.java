package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.contssl.jobs.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code environment.device}: a device this machine's libtorch cannot see is a one-line usage error before any job
 * starts (this build bundles a CPU-only libtorch, so every CUDA device is absent here); a malformed value likewise.
 */
class DeviceOptionTest {

    @Test
    void cudaWithoutACudaLibtorchExitsTwoBeforeAnyJob(@TempDir Path wd) {
        CliRun r = CliRun.of("run", "--workdir", wd.toString(), "environment.device=cuda");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("environment.device=cuda").contains("CUDA device(s)")
                .contains("PYTORCH_LIBRARY_PATH");
        assertThat(r.err().strip().lines().filter(l -> l.startsWith("error:")).count()).isEqualTo(1);
        assertThat(wd.resolve("config.resolved.yaml")).doesNotExist();
    }

    @Test
    void malformedDeviceIsAUsageErrorNamingTheKey(@TempDir Path wd) {
        CliRun r = CliRun.of("run", "--workdir", wd.toString(), "environment.device=gpu0");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("environment.device").contains("cpu, cuda or cuda:N");
    }
}
