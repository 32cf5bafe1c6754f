package org.contssl.steps.probe.sets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.contssl.lists.ListMetadata.DomainSpan;
import org.contssl.lists.stream.StreamPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The domains file's syntax and checks (each error names file and line), and which domains a progress point has seen. */
class DomainsFileParseTest {

    @TempDir
    Path dir;

    private Path file(String... lines) throws Exception {
        return Files.write(dir.resolve("domains.txt"), List.of(lines));
    }

    @Test
    void parsesDomainsWithPathsRelativeToTheFile() throws Exception {
        Path f = file("# two domains", "", "name=a start=0 end=10 train_filelist=a/t.txt val_filelist=a/v.txt",
                "name=b  start=12 end=20 train_filelist=b/t.txt val_filelist=/abs/v.txt base_dir=img  # gap ok");
        List<DomainsFile.Domain> d = DomainsFile.parse(f);
        assertThat(d).extracting(DomainsFile.Domain::name).containsExactly("a", "b");
        assertThat(d.get(1).start()).isEqualTo(12);
        assertThat(d.get(1).end()).isEqualTo(20);
        assertThat(d.get(0).train()).isEqualTo(dir.resolve("a/t.txt").toAbsolutePath().normalize());
        assertThat(d.get(1).val()).isEqualTo(Path.of("/abs/v.txt"));
        assertThat(d.get(1).baseDir()).isEqualTo(dir.resolve("img").toAbsolutePath().normalize());
        assertThat(d.get(1).line()).isEqualTo(4);
    }

    @Test
    void refusesBadLinesNamingFileAndLine() throws Exception {
        String ok = "name=a start=0 end=10 train_filelist=t val_filelist=v";
        String[][] bad = {
            {"name=b start=5 end=20 train_filelist=t val_filelist=v", "line 2: domain b starts at 5"},
            {"name=a start=10 end=20 train_filelist=t val_filelist=v", "line 2: domain a is named twice"},
            {"name=b start=20 end=20 train_filelist=t val_filelist=v", "line 2: domain b is empty"},
            {"name=b start=x end=20 train_filelist=t val_filelist=v", "line 2: start=x is not a stream position"},
            {"name=b start=10 end=20 val_filelist=v", "line 2: lacks train_filelist="},
            {"name=b start=10 end=20 train_filelist=t val_filelist=v colour=red", "line 2: 'colour=red'"},
            {"name=9b start=10 end=20 train_filelist=t val_filelist=v", "line 2: invalid domain name '9b'"},
        };
        for (String[] b : bad) {
            Path f = file(ok, b[0]);
            assertThatThrownBy(() -> DomainsFile.parse(f)).as(b[1]).isInstanceOf(ProbeInputException.class)
                    .hasMessageContaining("domains.txt: " + b[1]);
        }
        Path one = file(ok);
        assertThatThrownBy(() -> DomainsFile.parse(one)).hasMessageContaining("at least two domains");
        assertThatThrownBy(() -> DomainsFile.parse(dir.resolve("nope.txt"))).hasMessageContaining("does not exist");
    }

    @Test
    void aProgressPointHasSeenTheDomainsStartingBeforeIt() {
        List<DomainSpan> spans = List.of(new DomainSpan("D0", 0, 100, ""), new DomainSpan("D3", 100, 200, ""),
                new DomainSpan("D1", 200, 300, ""), new DomainSpan("D2", 300, 400, ""));
        StreamPlan plan = new StreamPlan(dir.resolve("s"), 400, "s", "domains", 0, null, "0312", java.util.Map.of(),
                List.of(), spans, List.of(), 0, 0, 0, "");
        assertThat(SeenDomains.seenAt(plan, 0.25)).isEqualTo(1);
        assertThat(SeenDomains.seenAt(plan, 0.26)).isEqualTo(2);
        assertThat(SeenDomains.seenAt(plan, 0.5)).isEqualTo(2);
        assertThat(SeenDomains.seenAt(plan, 0.75)).isEqualTo(3);
        assertThat(SeenDomains.seenAt(plan, 1.0)).isEqualTo(4);
        assertThat(SeenDomains.seenAt(plan, 0.0)).isEqualTo(1);
    }
}
