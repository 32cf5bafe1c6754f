package org.contssl.reports.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {
    @TempDir
    Path dir;

    @Test
    void appendsWithHeaderOnceAndReadsBack() throws Exception {
        Path f = dir.resolve("metrics.csv");
        try (MetricsCsv.Appender a = MetricsCsv.append(f)) {
            a.write(new MetricsRow(1, 256, 0.0128, "fill", -0.25, 0.05, 240.5, 0.1, 0.9, 0.061, 256, 1.0, Double.NaN));
        }
        try (MetricsCsv.Appender a = MetricsCsv.append(f)) { // a restarted step appends, no second header
            a.write(new MetricsRow(2, 512, 0.0256, "stream", -0.31, 0.0499, 250, 0.1, 0.9, 0.06, 512, 1.5, 0.81));
        }
        List<String> lines = Files.readAllLines(f);
        assertThat(lines.get(0)).isEqualTo(String.join(",", MetricsRow.COLUMNS));
        assertThat(lines).hasSize(3);
        List<MetricsRow> rows = MetricsCsv.read(f);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).phase()).isEqualTo("fill");
        assertThat(rows.get(0).bufferMeanNeighborSim()).isNaN();
        assertThat(rows.get(1).loss()).isEqualTo(-0.31);
        assertThat(rows.get(1).imagesSeen()).isEqualTo(512);
        assertThat(rows.get(1).bufferMeanNeighborSim()).isEqualTo(0.81);
    }

    @Test
    void toleratesATornLastLineAndExtraColumns() throws Exception {
        Path f = dir.resolve("metrics.csv");
        Files.writeString(f, String.join(",", MetricsRow.COLUMNS) + ",extra\n"
                + "1,256,0.1,stream,-0.2,0.05,200,0.1,0.9,0.06,256,1,0.8,x\n"
                + "2,512,0.2,str");
        List<MetricsRow> rows = MetricsCsv.read(f);
        assertThat(rows).extracting(MetricsRow::step).startsWith(1L);
        assertThat(rows.get(0).zStd()).isEqualTo(0.06);
    }

    @Test
    void wrongFileIsAOneLineError() throws Exception {
        Path f = dir.resolve("other.csv");
        Files.writeString(f, "a,b\n1,2\n");
        assertThatThrownBy(() -> MetricsCsv.read(f)).hasMessageContaining("'step'").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> MetricsCsv.read(dir.resolve("missing.csv"))).hasMessageContaining("not found");
        try (MetricsCsv.Appender a = MetricsCsv.append(dir.resolve("m.csv"))) {
            assertThatThrownBy(() -> a.write(new MetricsRow(1, 1, 0, "a,b", 0, 0, 0, 0, 0, 0, 0, 0, 0))).hasMessageContaining("phase");
        }
    }

    @Test
    void bufferCompositionRoundTrips() throws Exception {
        Path f = dir.resolve("comp.csv");
        try (BufferComposition.Appender a = BufferComposition.append(f, List.of("D0", "D1", "D2"))) {
            a.write(10, new long[] {100, 0, 0});
            a.write(20, new long[] {60, 40, 0});
        }
        Files.writeString(f, "30,20,40", StandardOpenOption.APPEND); // torn: the last count is missing
        BufferComposition c = BufferComposition.read(f);
        assertThat(c.groups()).containsExactly("D0", "D1", "D2");
        assertThat(c.steps()).startsWith(10L, 20L);
        assertThat(c.counts()[1]).containsExactly(60, 40, 0);
        assertThatThrownBy(() -> BufferComposition.append(dir.resolve("x.csv"), List.of("step"))).hasMessageContaining("plain word");
    }
}
