package org.contssl.steps.pretrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file a stream record stands for: plain records, and video slots drawing a frame per load. */
class StreamFilesTest {

    @TempDir
    Path dir;

    private MemmapList list(String... records) {
        Path file = dir.resolve("stream.memmap");
        try (MemmapListWriter w = MemmapListWriter.create(file, 120, dir.resolve("base"), false)) {
            for (String r : records) {
                w.add(r);
            }
            w.commit(ListMetadata.builder().role("stream"));
        }
        return MemmapList.open(file);
    }

    private static RunConfig config(String sampling) {
        return ConfigLoader.load(null, List.of("data.type=sequential", "data.train_filelist=/x/list.txt",
                "data.seq_sampling=" + sampling, "data.fname_fmt={:03d}.jpeg")).config();
    }

    private void frames(String video, int n) throws Exception {
        for (int f = 1; f <= n; f++) {
            Path p = dir.resolve("base").resolve(video).resolve(String.format("%03d.jpeg", f));
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {1});
        }
    }

    @Test
    void consecutiveRecordsAreTheirOwnFiles() {
        try (MemmapList l = list("v/003.jpeg")) {
            StreamFiles files = StreamFiles.of(config("consecutive"), l, 0);
            assertThat(files.atInsert(0)).isEqualTo(dir.resolve("base/v/003.jpeg"));
            assertThat(files.atLoad(0, 17, 3)).isEqualTo(dir.resolve("base/v/003.jpeg"));
        }
    }

    @Test
    void aVideoSlotLoadsAFreshSeededFrameOfItsVideoEachStep() throws Exception {
        frames("a", 40);
        try (MemmapList l = list("a 40", "a 40")) {
            StreamFiles files = StreamFiles.of(config("random"), l, 7);
            Set<Path> seen = new HashSet<>();
            for (long step = 1; step <= 60; step++) {
                Path f = files.atLoad(0, step, 0);
                assertThat(f.getParent()).isEqualTo(dir.resolve("base/a"));
                assertThat(f.getFileName().toString()).matches("0[0-4][0-9]\\.jpeg").isNotEqualTo("000.jpeg");
                // the same draw every time it is asked for: a resumed run loads the same frames
                assertThat(StreamFiles.of(config("random"), l, 7).atLoad(0, step, 0)).isEqualTo(f);
                seen.add(f);
            }
            assertThat(seen).as("frames drawn over 60 replays of one 40-frame video").hasSizeGreaterThan(20);
            assertThat(files.atInsert(0)).isEqualTo(files.atInsert(0)).startsWith(dir.resolve("base/a"));
            assertThat(StreamFiles.of(config("random"), l, 8).atLoad(0, 1, 0).toString()
                    + StreamFiles.of(config("random"), l, 8).atLoad(0, 2, 0))
                    .isNotEqualTo(files.atLoad(0, 1, 0).toString() + files.atLoad(0, 2, 0));
        }
    }

    @Test
    void aVideoWithAMissingFrameIsCheckedAsThatFrame() throws Exception {
        frames("b", 5);
        Files.delete(dir.resolve("base/b/004.jpeg"));
        try (MemmapList l = list("b 5")) {
            assertThat(StreamFiles.of(config("random"), l, 0).atInsert(0)).isEqualTo(dir.resolve("base/b/004.jpeg"));
        }
    }
}
