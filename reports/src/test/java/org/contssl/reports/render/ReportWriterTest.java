package org.contssl.reports.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.contssl.reports.SampleRuns;
import org.contssl.reports.results.DatasetRole;
import org.contssl.reports.results.EncoderKind;
import org.contssl.reports.results.ProbeMethod;
import org.contssl.reports.results.ProbeRecord;
import org.contssl.reports.results.ResultsJson;
import org.contssl.reports.results.RunResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    @TempDir
    Path work;

    @Test
    void writesEveryFileAndTheyAreValid() throws Exception {
        RunResults r = SampleRuns.demo(work, "simple", 83.0, 1);
        ReportFiles f = new ReportWriter().write(r, work);

        assertThat(f.reportsDir()).isEqualTo(work.resolve("reports"));
        // charts: both accuracy charts, loss, lr, collapse, buffer composition, buffer stats, throughput
        assertThat(f.charts()).extracting(p -> p.getFileName().toString()).contains("accuracy_fashion_mnist.png",
                "accuracy_mnist.png", "loss.png", "lr.png", "collapse.png", "buffer_composition.png");
        for (Path png : f.charts()) {
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img).as(png.toString()).isNotNull();
            assertThat(img.getWidth()).isGreaterThan(300);
            assertThat(nonWhitePixels(img)).as("chart %s must have content", png).isGreaterThan(2000);
        }

        String html = Files.readString(f.html());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("</html>");
        List<byte[]> inlined = inlinedPngs(html);
        assertThat(inlined).hasSize(f.charts().size());
        for (byte[] png : inlined) assertThat(ImageIO.read(new ByteArrayInputStream(png))).isNotNull();
        // self-contained: nothing fetched from anywhere
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script").doesNotContain("<link");
        // text from the data is escaped
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");

        String md = Files.readString(f.markdown());
        Matcher m = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(md);
        int links = 0;
        while (m.find()) {
            assertThat(f.reportsDir().resolve(m.group(1))).exists();
            links++;
        }
        assertThat(links).isEqualTo(f.charts().size());

        // the report states protocol, config, seed, data hashes, versions
        for (String doc : List.of(md, html)) {
            assertThat(doc).contains("LARC").contains("Forgetting").contains("model.buffer_type=simple").contains("seed")
                    .contains("a".repeat(64)).contains("0.36.0").contains("final_params_sha256").contains("0.5/√128");
        }

        RunResults back = ResultsJson.read(f.json());
        assertThat(back.probes()).isEqualTo(r.probes());

        List<String> csv = Files.readAllLines(f.csv());
        assertThat(csv.get(0)).isEqualTo(String.join(",", CsvTables.RESULTS_COLUMNS));
        assertThat(csv).hasSize(1 + r.probes().size());
        assertThat(csv.get(1)).contains("trained,checkpoint_00000.2500,0.25,fashion-mnist,in-distribution,linear");
        assertThat(f.forgettingCsv()).isNull();
        // no temp files left behind
        try (var s = Files.list(f.reportsDir())) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp") || n.contains(".tmp-"));
        }
    }

    @Test
    void neverClaimsAGainTheFloorsDoNotSupport() throws Exception {
        // trained 81.0 on Fashion-MNIST: below raw pixels (83.4) and below random-init (81.9 -> within margin)
        String below = Files.readString(new ReportWriter().write(SampleRuns.demo(work, "simple", 81.0, 1), work).markdown());
        assertThat(below).contains("2.40 points below the raw-pixel floor (83.40 %): the trained encoder does not beat raw pixels")
                .contains("no gain over a random-init encoder is shown")
                .doesNotContain("exceeds the ±1.0-point noise margin");

        Path other = Files.createDirectories(work.resolve("good"));
        String good = Files.readString(new ReportWriter().write(SampleRuns.demo(other, "minred", 86.0, 1), other).markdown());
        assertThat(good).contains("+2.60 points above the raw-pixel floor").contains("+4.10 points above the random-init floor")
                .contains("the gain over both floors exceeds the ±1.0-point noise margin");
    }

    @Test
    void missingFloorOrSeriesIsSaidNotHidden() throws Exception {
        RunResults full = SampleRuns.demo(work, "simple", 85.0, 1);
        List<ProbeRecord> noRaw = new ArrayList<>(full.probes().stream()
                .filter(p -> !(p.encoder() == EncoderKind.RAW_PIXELS && p.dataset().equals(SampleRuns.FMNIST))).toList());
        RunResults r = new RunResults(full.schemaVersion(), full.runName(), full.createdAt(), full.workdir(), full.method(),
                full.config(), full.configHash(), full.seed(), full.versions(), full.dataHashes(), full.stream(), full.jobs(),
                full.skippedImages(), full.skippedImagesTotal(), full.checkpoints(), full.probeProtocols(), noRaw, null,
                full.finalParamsSha256(), full.collapse(), null, full.notes());
        String md = Files.readString(new ReportWriter().write(r, work).markdown());
        assertThat(md).contains("**raw-pixel floor not measured**").contains("no gain over both floors is claimed")
                .contains("No metrics.csv was recorded");
    }

    @Test
    void domainsRunReportsTheMatrixAndForgetting() throws Exception {
        double[][] a = {{90, 50, 40, 30}, {85, 88, 45, 35}, {80, 84, 92, 38}, {78, 80, 89, 91}};
        ReportFiles f = new ReportWriter().write(SampleRuns.domains(work, "minred", a), work);
        String md = Files.readString(f.markdown());
        assertThat(md).contains("A[after i][on j]").contains("| after D3 (`checkpoint_00001.0000`) | 78.00 | 80.00 | 89.00 | **91.00** |")
                // D0: 90-85=5 (5.56 %), 90-80=10 (11.11 %), 90-78=12 (13.33 %); D1: 88-84=4 (4.55 %), 88-80=8 (9.09 %); D2: 92-89=3 (3.26 %)
                .contains("| relative (%) | 5.56 - 11.11 - 13.33 | 4.55 - 9.09 | 3.26 |")
                .contains("| absolute (points) | 5.00 - 10.00 - 12.00 | 4.00 - 8.00 | 3.00 |")
                .contains("Accuracy @ 25-50-75-100 % of the stream (fashion-mnist, linear top-1): 80.00 - 80.50 - 81.00 - 81.50");
        assertThat(f.charts()).extracting(p -> p.getFileName().toString()).contains("forgetting_heatmap.png", "buffer_composition.png");
        List<String> fc = Files.readAllLines(f.forgettingCsv());
        assertThat(fc).hasSize(1 + 6);
        assertThat(fc.get(1)).startsWith("minred-domains,0,0,1,1,90.0,85.0,5.0,5.55");
    }

    @Test
    void regenerateRendersFromStoredResultsJson() throws Exception {
        RunResults r = SampleRuns.demo(work, "simple", 83.0, 1);
        ReportFiles first = new ReportWriter().write(r, work);
        Files.delete(first.html());
        ReportFiles again = new ReportWriter().regenerate(work);
        assertThat(again.html()).exists();
        assertThat(Files.readString(again.markdown())).isEqualTo(Files.readString(first.markdown()));
    }

    static List<byte[]> inlinedPngs(String html) {
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        List<byte[]> out = new ArrayList<>();
        while (m.find()) out.add(Base64.getDecoder().decode(m.group(1)));
        return out;
    }

    private static int nonWhitePixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) n++;
            }
        }
        return n;
    }

    @Test
    void roleHelpersOrderInDistributionFirst() {
        RunResults r = RunResults.builder()
                .probe(ProbeRecord.floor(EncoderKind.RAW_PIXELS, "mnist", DatasetRole.OUT_OF_DISTRIBUTION, ProbeMethod.LINEAR, 90, 99, 8000, 2000))
                .probe(ProbeRecord.floor(EncoderKind.RAW_PIXELS, "fmnist", DatasetRole.IN_DISTRIBUTION, ProbeMethod.LINEAR, 83, 99, 10000, 10000))
                .build();
        assertThat(r.datasets()).containsExactly("fmnist", "mnist");
    }
}
