package org.contssl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.contssl.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench and parity subcommands parse their declared options and reach the tools classes. */
class BenchCommandTest {

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @Test
    void benchListsJsonIsOneObjectOnStdoutWithCpuFacts(@TempDir Path dir) throws Exception {
        CliRun r = cli("bench", "lists", "--records", "2000", "--random", "500", "--no-import", "--dir", dir.toString(),
                "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out().strip().lines().count()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("benchmark").asText()).isEqualTo("lists");
        assertThat(j.get("cpu_model").asText()).isNotBlank();
        assertThat(j.get("cpu_flags").isArray()).isTrue();
        assertThat(j.get("cores").asInt()).isPositive();
        assertThat(j.get("read").get("records").asLong()).isEqualTo(2000);
        assertThat(j.get("read").get("randomReads").asLong()).isEqualTo(500);
        assertThat(j.has("import")).isFalse();
        assertThat(r.err()).contains("list of 2,000 records");
    }

    @Test
    void badValuesAndUnknownBenchmarksAreUsageErrors() {
        assertThat(cli("bench", "frobnicate").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("bench", "lists", "--records", "many").code()).isEqualTo(ExitCodes.USAGE);
        CliRun train = cli("bench", "train", "--variants", "fastest,bogus", "--no-pytorch", "--no-rss");
        assertThat(train.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(train.err()).contains("bogus");
        CliRun parity = cli("parity", "--options", "bogus");
        assertThat(parity.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(parity.err()).contains("parity: --options: bogus");
    }
}
