package org.contssl.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListShowTest {

    @TempDir
    Path dir;

    private Path domainsList() {
        Path list = dir.resolve("lists/stream.memmap");
        int[] labels = new int[40];
        try (MemmapListWriter w = MemmapListWriter.create(list, 120, dir.resolve("data"), true)) {
            for (int i = 0; i < 40; i++) {
                labels[i] = i < 20 ? i % 2 : 2 + i % 2;
                w.add("img/" + i + ".png", labels[i]);
            }
            w.commit(ListMetadata.builder().role("stream").source("unit").kind("domains").seed(4L).numClasses(4)
                    .classNames(List.of("a", "b", "c", "d")).domainOrder("01")
                    .domains(List.of(new ListMetadata.DomainSpan("D0", 0, 20, "first half"),
                            new ListMetadata.DomainSpan("D1", 20, 40, "second half")))
                    .diagnostics(StreamDiagnostics.ofLabels(labels, 4).withPixelDiffs(12.5, 39L, null, null))
                    .notes(List.of("a note")));
        }
        return list;
    }

    @Test
    void textShowsMetadataDiagnosticsAndTheFirstRecords() {
        String out = ListShow.render(domainsList(), ListShow.Options.defaults().withHead(3));
        assertThat(out).contains("records       40 x S120 (4,800 bytes)")
                .contains("labels        stream.memmap.labels (4 classes — a, b, c, d)")
                .contains("kind          domains")
                .contains("domain        D1 [20, 40) second half")
                .contains("Q1 from 0: 5 5 0 0")
                .contains("Q4 from 30: 0 0 5 5")
                .contains("consecutive images: 12.50 of 255 (39 pairs)")
                .contains("note          a note")
                .contains("first 3 records")
                .containsPattern("\\s+2\\s+0\\s+img/2.png");
        assertThat(out).doesNotContain("img/3.png");
    }

    @Test
    void jsonCarriesTheSidecarAndRecords() throws Exception {
        JsonNode j = Sidecars.MAPPER.readTree(ListShow.render(domainsList(),
                ListShow.Options.defaults().withJson(true).withHead(2)));
        assertThat(j.get("count").asLong()).isEqualTo(40);
        assertThat(j.get("metadata").get("domains").get(1).get("start").asLong()).isEqualTo(20);
        assertThat(j.get("records")).hasSize(2);
        assertThat(j.get("records").get(1).get("path").asText()).isEqualTo("img/1.png");
        assertThat(j.get("records").get(1).get("label").asInt()).isEqualTo(1);
    }

    @Test
    void sidecarLessListWithExplicitWidthAndCount() throws Exception {
        Path raw = dir.resolve("ref.memmap");
        byte[] b = new byte[64 * 3];
        System.arraycopy("x/a.jpg".getBytes(), 0, b, 0, 7);
        System.arraycopy("x/b.jpg".getBytes(), 0, b, 64, 7);
        Files.write(raw, b);
        String out = ListShow.render(raw, ListShow.Options.defaults().withRecordWidth(64).withCount(2L));
        assertThat(out).contains("none (reference format; record width 64, count 2)").contains("x/b.jpg");
    }

    @Test
    void badListFailsWithTheOneLineErrorAndExitCode() throws Exception {
        Path raw = dir.resolve("bad.memmap");
        Files.write(raw, new byte[250]);
        ListFormatException e = catchThrowableOfType(ListFormatException.class,
                () -> ListShow.render(raw, ListShow.Options.defaults()));
        assertThat(e.getMessage()).startsWith(raw + ": file size 250 is not a multiple of the record width 120");
        byte[] utf = new byte[120];
        utf[0] = (byte) 0xc3; // a lone UTF-8 lead byte
        Files.write(raw, utf);
        e = catchThrowableOfType(ListFormatException.class, () -> ListShow.render(raw, ListShow.Options.defaults()));
        assertThat(e.getMessage()).startsWith(raw + ": record 0: record is not valid UTF-8");
    }
}
