package org.contssl.tools.bench.augment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.contssl.tools.bench.BenchReport;
import org.junit.jupiter.api.Test;

/** The benchmark runs end to end and gives one JSON object with positive rates (timings are not judged here). */
class AugmentBenchmarkTest {

    @Test
    void printsOneJsonObject() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchReport report = AugmentBenchmark.run(new AugmentBenchmark.Options(0.02, true),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        String out = report.toJson(false);
        assertThat(out.lines().count()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(out);
        for (String w : new String[]{"png28_grey", "jpeg224_rgb"}) {
            JsonNode r = j.get(w);
            assertThat(r.get("single_thread_img_per_s").asDouble()).as(w).isPositive();
            assertThat(r.get("cache_speedup").asDouble()).as(w).isPositive();
        }
        assertThat(j.get("png28_grey").get("imageio_over_ours").asDouble()).isPositive();
        assertThat(j.get("png28_grey").get("pool_batch128").get("1_threads_img_per_s").asDouble()).isPositive();
        assertThat(j.get("benchmark").asText()).isEqualTo("augment");
        assertThat(j.get("cpu_model").asText()).isNotBlank();
        assertThat(j.get("cpu_flags").isArray()).isTrue();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("png28:").contains("jpeg224:");
    }
}
