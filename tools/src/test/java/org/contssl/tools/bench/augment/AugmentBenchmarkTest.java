package org.contssl.tools.bench.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** The benchmark runs end to end and prints one JSON object with positive rates (timings are not judged here). */
class AugmentBenchmarkTest {

    @Test
    void printsOneJsonObject() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            AugmentBenchmark.main(new String[]{"--json", "--seconds", "0.02", "--small"});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8).trim();
        assertThat(out.lines().count()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(out);
        for (String w : new String[]{"png28_grey", "jpeg224_rgb"}) {
            JsonNode r = j.get(w);
            assertThat(r.get("single_thread_img_per_s").asDouble()).as(w).isPositive();
            assertThat(r.get("cache_speedup").asDouble()).as(w).isPositive();
        }
        assertThat(j.get("png28_grey").get("imageio_over_ours").asDouble()).isPositive();
        assertThat(j.get("png28_grey").get("pool_batch128").get("1_threads_img_per_s").asDouble()).isPositive();
    }
}
