package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapListWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data.domains} on real images: Fashion-MNIST exported as PNG files, a memmap stream of four class blocks
 * (classes 0-1, 2-3, 4-5, 6-7), a domains file naming the blocks with per-domain {@code <path> <label>} probe lists
 * of held-out images of the same classes. The run reports a 4×4 accuracy matrix and the forgetting table; a broken
 * domains file is refused before any job starts, naming the file and line.
 */
class DomainsFileTest {

    private static final int STREAM_PER_CLASS = 48;
    private static final int TRAIN_PER_CLASS = 24;
    private static final int VAL_PER_CLASS = 16;
    private static final String[] NAMES = {"tops", "pullover-dress", "coat-sandal", "shirt-sneaker"};


    /** Writes the stream list, probe lists and domains file under {@code base}; returns the domains file. */
    private static Path fixture(Path base) throws Exception {
        List<String> images = OwnDataFixture.fashionMnistImages(base, STREAM_PER_CLASS + TRAIN_PER_CLASS
                + VAL_PER_CLASS);
        List<List<String>> byClass = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            byClass.add(new ArrayList<>());
        }
        for (String rel : images) {
            byClass.get(Integer.parseInt(rel.split("/")[1].split("-")[0])).add(rel);
        }
        List<String> domainLines = new ArrayList<>();
        Path stream = base.resolve("stream.memmap");
        try (MemmapListWriter w = MemmapListWriter.create(stream, 120, base, true)) {
            for (int d = 0; d < 4; d++) {
                List<String> train = new ArrayList<>();
                List<String> val = new ArrayList<>();
                for (int local = 0; local < 2; local++) {
                    List<String> cls = byClass.get(2 * d + local);
                    for (int i = 0; i < STREAM_PER_CLASS; i++) {
                        w.add(cls.get(i), 2 * d + local);
                    }
                    for (int i = STREAM_PER_CLASS; i < STREAM_PER_CLASS + TRAIN_PER_CLASS; i++) {
                        train.add(cls.get(i) + " " + local);
                    }
                    for (int i = STREAM_PER_CLASS + TRAIN_PER_CLASS; i < cls.size(); i++) {
                        val.add(cls.get(i) + " " + local);
                    }
                }
                Files.write(base.resolve("d" + d + "-train.txt"), train);
                Files.write(base.resolve("d" + d + "-val.txt"), val);
                int size = 2 * STREAM_PER_CLASS;
                domainLines.add("name=" + NAMES[d] + " start=" + d * size + " end=" + (d + 1) * size
                        + " train_filelist=d" + d + "-train.txt val_filelist=d" + d + "-val.txt");
            }
            w.commit(ListMetadata.builder().role("stream").source("fashion-mnist class blocks").numClasses(10));
        }
        Path domains = base.resolve("domains.txt");
        List<String> lines = new ArrayList<>(List.of("# four class blocks of Fashion-MNIST"));
        lines.addAll(domainLines);
        Files.write(domains, lines);
        return domains;
    }

    @Test
    void aMemmapStreamWithADomainsFileReportsTheFourByFourMatrix(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("data");
        Path domains = fixture(base);
        Path workdir = dir.resolve("run");
        CliRun r = run(workdir, base, "data.domains=" + domains);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);

        JsonNode results = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
        JsonNode matrix = results.get("domain_matrix");
        assertThat(matrix.get("domain_order").toString())
                .isEqualTo("[\"tops\",\"pullover-dress\",\"coat-sandal\",\"shirt-sneaker\"]");
        assertThat(matrix.get("checkpoints").toString())
                .contains("checkpoint_domain1", "checkpoint_domain2", "checkpoint_domain3", "checkpoint_final");
        assertThat(matrix.get("accuracy")).hasSize(4);
        for (JsonNode row : matrix.get("accuracy")) {
            assertThat(row).hasSize(4);
            // two classes per domain: every cell is a real probe result, not a missing one
            row.forEach(v -> assertThat(v.isNumber()).isTrue());
            row.forEach(v -> assertThat(v.asDouble()).isBetween(0.0, 100.0));
        }
        // the headline at 100 %: one probe over the union of all four domains (8 classes), floors on it too
        List<String> seen = new ArrayList<>();
        for (JsonNode p : results.get("probes")) {
            if ("seen-domains".equals(p.get("dataset").asText()) && "linear".equals(p.get("method").asText())) {
                seen.add(p.hasNonNull("checkpoint") ? p.get("checkpoint").asText() : p.get("encoder").asText());
            }
            assertThat(p.get("dataset").asText().equals("tops") && !p.hasNonNull("checkpoint")).as(p.toString())
                    .isFalse();
        }
        assertThat(seen).containsExactlyInAnyOrder("checkpoint_final", "random-init", "raw-pixels");
        // lincls.imnet.optim.epochs=5 must not reach the domain probes (it left them at 5 LARC steps: exactly 50 %)
        LinearProbeSanity.assertLinearAboveChanceWhereKnnIs(results, d -> "seen-domains".equals(d) ? 8 : 2);
        assertThat(workdir.resolve("lists/seen-4-test.memmap")).exists();
        try (var union = org.contssl.lists.MemmapList.open(workdir.resolve("lists/seen-4-test.memmap"))) {
            assertThat(union.size()).isEqualTo(4L * 2 * VAL_PER_CLASS);
            assertThat(union.labelAt(union.size() - 1)).isEqualTo(7);
        }
        String report = Files.readString(workdir.resolve("reports/report.md"));
        assertThat(report).contains("Accuracy matrix A").contains("D1 (pullover-dress)");
        assertThat(workdir.resolve("reports/forgetting.csv")).isNotEmptyFile();
    }

    @Test
    void aBrokenDomainsFileIsRefusedBeforeAnyJobNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("data");
        Path domains = fixture(base);
        List<String> lines = new ArrayList<>(Files.readAllLines(domains));
        lines.set(3, lines.get(3).replace("start=192", "start=150")); // overlaps the domain before it
        Path overlapping = base.resolve("overlapping.txt");
        Files.write(overlapping, lines);
        CliRun r = run(dir.resolve("a"), base, "data.domains=" + overlapping);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("overlapping.txt: line 4", "coat-sandal starts at 150");
        assertThat(dir.resolve("a/lists")).doesNotExist();

        lines = new ArrayList<>(Files.readAllLines(domains));
        lines.set(4, lines.get(4).replace("end=384", "end=999"));
        Path tooLong = base.resolve("too-long.txt");
        Files.write(tooLong, lines);
        r = run(dir.resolve("b"), base, "data.domains=" + tooLong);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("too-long.txt: line 5", "the stream has 384 positions");

        List<String> val = new ArrayList<>(Files.readAllLines(base.resolve("d2-val.txt")));
        val.set(2, val.get(2).replaceFirst(" [0-9]+$", " two"));
        Files.write(base.resolve("d2-val.txt"), val);
        r = run(dir.resolve("c"), base, "data.domains=" + domains);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("d2-val.txt: line 3", "label 'two' is not an integer");
    }

    private static CliRun run(Path workdir, Path base, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--workdir", workdir.toString()));
        args.addAll(OwnDataFixture.overrides(base.resolve("stream.memmap"), base, "memmap",
                "data.stream=ordered", "lincls.imnet.optim.epochs=5"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }
}
