package org.contssl.reports.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.contssl.reports.SampleRuns;
import org.contssl.reports.render.ReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareReportTest {
    @TempDir
    Path tmp;

    @Test
    void fifoAndMinRedSideBySideFromTheirResultsJson() throws Exception {
        Path fifo = Files.createDirectories(tmp.resolve("fifo"));
        Path minred = Files.createDirectories(tmp.resolve("minred"));
        new ReportWriter().write(SampleRuns.demo(fifo, "simple", 83.0, 1), fifo);
        new ReportWriter().write(SampleRuns.demo(minred, "minred", 84.7, 1), minred);

        // a workdir and a results.json path are both accepted
        CompareReport c = CompareReport.load(List.of(fifo, minred.resolve("reports/results.json")));
        String md = c.markdown();
        assertThat(md).contains("| run | method | single pass | buffer | size | fashion-mnist (in-dist.) linear | mnist (out-of-dist.) linear |");
        assertThat(md).contains("| simple-s1 | FIFO buffer (×4) | yes | simple | 2K | 83.00 | 90.00 |");
        assertThat(md).contains("| minred-s1 | MinRed buffer (×4) | yes | minred | 2K | 84.70 | 91.70 |");
        assertThat(md).contains("raw −0.40 / rand +1.10").contains("raw +1.30 / rand +2.80");
        assertThat(md).contains("| **floor** | raw pixels (floor) |").contains("| **floor** | random-init encoder (floor) |");
        assertThat(md).doesNotContain("Continual evaluation");

        Path md2 = c.write(tmp.resolve("cmp"));
        assertThat(md2).hasFileName("compare.md");
        String html = Files.readString(tmp.resolve("cmp/compare.html"));
        assertThat(html).contains("<td>MinRed buffer (×4)</td>").doesNotContain("https://");
    }

    @Test
    void domainsRunsGetTheSectionSixShape() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        double[][] fifo = {{90, 50, 40, 30}, {80, 88, 45, 35}, {75, 80, 92, 38}, {70, 78, 85, 91}};
        double[][] minred = {{90, 50, 40, 30}, {88, 88, 45, 35}, {87, 87, 92, 38}, {86, 86, 91, 91}};
        new ReportWriter().write(SampleRuns.domains(a, "simple", fifo), a);
        new ReportWriter().write(SampleRuns.domains(b, "minred", minred), b);
        String md = CompareReport.load(List.of(a, b)).markdown();
        assertThat(md).contains("| run | method | single pass | buffer | Acc @ 25-50-75-100 % | Forgetting % D0 | Forgetting % D1 | Forgetting % D2 | Forgetting pts D0 | Forgetting pts D1 | Forgetting pts D2 |");
        // FIFO: D0 90->80,75,70 = 11.11, 16.67, 22.22 %; D1 88->80,78 = 9.09, 11.36 %; D2 92->85 = 7.61 %
        assertThat(md).contains("| simple-domains | FIFO buffer (×4) | yes | 2K | 80.00 - 80.50 - 81.00 - 81.50 | 11.11 - 16.67 - 22.22 | 9.09 - 11.36 | 7.61 | 10.00 - 15.00 - 20.00 | 8.00 - 10.00 | 7.00 |");
        assertThat(md).contains("| minred-domains | MinRed buffer (×4) |");
    }

    @Test
    void duplicateNamesStayDistinctAndMissingRunsAreOneLineErrors() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        new ReportWriter().write(SampleRuns.demo(a, "simple", 83.0, 1), a);
        new ReportWriter().write(SampleRuns.demo(b, "simple", 83.5, 1), b);
        assertThat(CompareReport.load(List.of(a, b)).markdown()).contains("| simple-s1 |").contains("| simple-s1 #2 |");
        assertThatThrownBy(() -> CompareReport.load(List.of(tmp.resolve("nothing"))))
                .hasMessageContaining("no results.json").hasMessageNotContaining("\n");
    }
}
