package org.contssl.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte compatibility with the reference: numpy writes a memmap that contssl reads, contssl writes one that numpy
 * reads, both with the paths (and labels) intact. Skipped only where /usr/bin/python3 lacks numpy
 * ({@code apt-get install python3-numpy}).
 */
class NumpyRoundTripTest {

    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @BeforeAll
    static void needsNumpy() throws Exception {
        boolean ok = false;
        if (Files.isExecutable(Path.of(PYTHON))) {
            Process p = new ProcessBuilder(PYTHON, "-c", "import numpy").redirectErrorStream(true).start();
            ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        assumeTrue(ok, "numpy is not available to " + PYTHON + " (apt-get install python3-numpy)");
    }

    private static String python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void listWrittenByNumpyReadsBackIdentically() throws Exception {
        Path list = dir.resolve("flickr-ref.memmap");
        String script = String.join("\n",
                "import sys, json, numpy as np",
                "paths = ['images/%02d/%03d/%d-256p.jpg' % (i % 17, i % 131, i) for i in range(2500)]",
                "paths[5] = 'ünï/çødé/ﬁle.jpg'",
                "mm = np.memmap(sys.argv[1], dtype='S120', mode='w+', shape=(len(paths),))",
                "for i, p in enumerate(paths): mm[i] = p.encode('utf-8')",
                "mm.flush(); del mm",
                "print(json.dumps(paths))");
        String out = python(script, list.toString());
        List<String> expected = Sidecars.MAPPER.readValue(out, new TypeReference<List<String>>() { });
        assertThat(Files.size(list)).isEqualTo(2500L * 120);
        try (MemmapList l = MemmapList.open(list)) { // no sidecar: count inferred from the size with width 120
            assertThat(l.size()).isEqualTo(expected.size());
            List<String> got = new ArrayList<>();
            for (long i = 0; i < l.size(); i++) {
                got.add(l.pathAt(i));
            }
            assertThat(got).isEqualTo(expected);
        }
        // and what `lists show --json --head N` prints is the same list
        Map<String, Object> shown = Sidecars.MAPPER.readValue(
                ListShow.render(list, ListShow.Options.defaults().withJson(true).withHead(5000)),
                new TypeReference<Map<String, Object>>() { });
        assertThat(shown.get("count")).isEqualTo(2500);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> recs = (List<Map<String, Object>>) shown.get("records");
        assertThat(recs.stream().map(r -> (String) r.get("path")).toList()).isEqualTo(expected);
        assertThat(recs.get(7).get("index")).isEqualTo(7);
    }

    @Test
    void listWrittenByContsslReadsBackIdenticallyInNumpy() throws Exception {
        Path list = dir.resolve("lists/stream.memmap");
        List<String> paths = new ArrayList<>();
        try (MemmapListWriter w = MemmapListWriter.create(list, 120, dir, true)) {
            for (int i = 0; i < 3000; i++) {
                String p = i == 7 ? "日本/写真-" + i + ".png" : "train/" + (i % 10) + "/" + String.format("%05d.png", i);
                paths.add(p);
                w.add(p, (i * 7) % 10 - (i == 9 ? 1000 : 0));
            }
            w.commit(ListMetadata.builder().source("unit"));
        }
        String script = String.join("\n",
                "import sys, json, hashlib, numpy as np",
                "mm = np.memmap(sys.argv[1], dtype='S120', mode='r')",
                "labels = np.fromfile(sys.argv[2], dtype='<i4')",
                "meta = json.load(open(sys.argv[3]))",
                "sha = hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest()",
                "print(json.dumps({'paths': [b.decode('utf-8') for b in mm], 'labels': labels.tolist(),",
                "                  'shaOk': sha == meta['sha256'], 'count': meta['count'], 'dtype': meta['dtype']}))");
        String out = python(script, list.toString(), MemmapListWriter.labelsPathOf(list).toString(),
                Sidecars.sidecarOf(list).toString());
        Map<String, Object> r = Sidecars.MAPPER.readValue(out, new TypeReference<Map<String, Object>>() { });
        assertThat(r.get("paths")).isEqualTo(paths);
        List<Integer> expectedLabels = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            expectedLabels.add((i * 7) % 10 - (i == 9 ? 1000 : 0));
        }
        assertThat(r.get("labels")).isEqualTo(expectedLabels);
        assertThat(r.get("shaOk")).isEqualTo(true);
        assertThat(r.get("count")).isEqualTo(3000);
        assertThat(r.get("dtype")).isEqualTo("S120");
    }
}
