package org.contssl.reports.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.contssl.reports.SampleRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsJsonTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsWithSnakeCaseKeysAndReadableEnums() throws Exception {
        RunResults r = SampleRuns.demo(dir, "minred", 84.0, 2);
        String json = ResultsJson.toJson(r);
        JsonNode n = ResultsJson.mapper().readTree(json);
        assertThat(n.get("final_params_sha256").asText()).hasSize(64);
        assertThat(n.get("config_hash").asText()).isEqualTo("3f9a1c0e5b7d");
        assertThat(n.at("/config/model/buffer_type").asText()).isEqualTo("minred");
        assertThat(n.at("/stream/steps_per_phase/stream").asLong()).isEqualTo(312);
        assertThat(n.at("/probes/0/encoder").asText()).isEqualTo("trained");
        assertThat(n.at("/probes/0/role").asText()).isEqualTo("in-distribution");
        assertThat(n.at("/collapse/threshold").asDouble()).isEqualTo(0.5 / Math.sqrt(128));
        assertThat(n.at("/time_series/metrics_csv").asText()).isEqualTo("metrics.csv");

        RunResults back = ResultsJson.fromJson(json, "test");
        assertThat(back.probes()).isEqualTo(r.probes());
        assertThat(back.jobs()).isEqualTo(r.jobs());
        assertThat(back.stream()).isEqualTo(r.stream());
        assertThat(back.method()).isEqualTo(r.method());
        assertThat(back.config()).isEqualTo(r.config());
        assertThat(back.finalTrained("fashion-mnist", ProbeMethod.LINEAR).orElseThrow().top1()).isEqualTo(84.0);
        assertThat(ResultsJson.toJson(back)).isEqualTo(json);
    }

    @Test
    void domainMatrixSurvivesTheRoundTrip() {
        double[][] a = {{90, 10, 11, 12}, {80, 85, 13, 14}, {70, 75, 88, 15}, {60, 65, 77, 91}};
        RunResults r = SampleRuns.domains(dir, "simple", a);
        RunResults back = ResultsJson.fromJson(ResultsJson.toJson(r), "test");
        assertThat(back.domainMatrix().accuracy()).isDeepEqualTo(a);
        assertThat(back.domainMatrix().domainOrder()).containsExactly("0", "1", "2", "3");
    }

    @Test
    void writesAtomicallyAndReportsBadFilesInOneLine() throws Exception {
        RunResults r = SampleRuns.demo(dir, "simple", 83.0, 1);
        Path f = dir.resolve("reports/results.json");
        ResultsJson.write(r, f);
        assertThat(ResultsJson.read(f).runName()).isEqualTo(r.runName());
        assertThat(Files.list(f.getParent())).extracting(Path::getFileName).extracting(Path::toString).containsExactly("results.json");

        Files.writeString(f, "{\"run_name\": \"x\", \"probes\": [ {\"encoder\": \"banana\"} ]}");
        assertThatThrownBy(() -> ResultsJson.read(f)).hasMessageContaining(f.toString()).hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ResultsJson.read(dir.resolve("nope.json"))).hasMessageContaining("not found");
        // unknown keys from a newer writer are tolerated
        Files.writeString(f, "{\"run_name\": \"x\", \"schema_version\": 1, \"something_new\": 3}");
        assertThat(ResultsJson.read(f).runName()).isEqualTo("x");
    }

    @Test
    void methodLabelsFollowTheReferenceTables() {
        assertThat(MethodSummary.of("simple", 65536, 10, 1).label()).isEqualTo("FIFO buffer (×10)");
        assertThat(MethodSummary.of("simple", 65536, 10, 1).bufferSizeLabel()).isEqualTo("64K");
        assertThat(MethodSummary.of("minred", 2048, 4, 1).bufferSizeLabel()).isEqualTo("2K");
        assertThat(MethodSummary.of("none", 0, 1, 5).label()).isEqualTo("Conventional (5 epochs)");
        assertThat(MethodSummary.of("none", 0, 1, 5).singlePass()).isFalse();
        assertThat(MethodSummary.of("none", 0, 1, 1).bufferSizeLabel()).isEqualTo("–");
    }
}
