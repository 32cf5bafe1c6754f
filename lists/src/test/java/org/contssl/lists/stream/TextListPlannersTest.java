package org.contssl.lists.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.MemmapList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's text list formats as stream sources: records, order, frame choice and their errors. */
class TextListPlannersTest {

    @TempDir
    Path dir;

    private StreamRequest.Builder request(String name, ListType type, String... lines) throws Exception {
        Path list = dir.resolve(name);
        Files.write(list, List.of(lines), StandardCharsets.UTF_8);
        return StreamRequest.builder(dir.resolve("w-" + name + "-" + type.id())).trainFilelist(list)
                .baseDir(dir.resolve("base")).listType(type).oodProbe(false).threads(1);
    }

    private static List<String> records(StreamPlan plan) {
        try (MemmapList l = MemmapList.open(plan.streamList())) {
            List<String> out = new ArrayList<>();
            for (long i = 0; i < l.size(); i++) {
                out.add(l.recordAt(i));
            }
            return out;
        }
    }

    @Test
    void aStandardListKeepsTheFirstTokenShuffledOrInOrder() throws Exception {
        String[] lines = new String[50];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "img/" + i + ".jpg " + (i % 7) + " extra";
        }
        List<String> ordered = records(StreamPlanner.build(request("std.txt", ListType.STANDARD, lines)
                .kind(StreamKind.ORDERED).build()));
        assertThat(ordered).hasSize(50).startsWith("img/0.jpg", "img/1.jpg").endsWith("img/49.jpg");
        List<String> iid = records(StreamPlanner.build(request("std.txt", ListType.STANDARD, lines).build()));
        assertThat(iid).containsExactlyInAnyOrderElementsOf(ordered).isNotEqualTo(ordered);
        try (MemmapList l = MemmapList.open(StreamPlanner.build(request("std.txt", ListType.STANDARD, lines)
                .build()).streamList())) {
            assertThat(l.resolve(0)).isEqualTo(dir.resolve("base").resolve(iid.get(0)));
        }
    }

    @Test
    void consecutiveFramesAreAClipPerVideoNumberedFromOne() throws Exception {
        StreamPlan plan = StreamPlanner.build(request("k.txt", ListType.SEQUENTIAL, "a/v0 30", "b/v1 5", "c/v2 10")
                .kind(StreamKind.ORDERED).seqSamples(8).build());
        List<String> r = records(plan);
        assertThat(r).hasSize(24);
        assertThat(plan.clipLength()).isEqualTo(8);
        // video 0: 30 frames, start s in 0..20, frames s..s+7, named s+1..s+8 with the default {:03d}.jpeg
        int s = Integer.parseInt(r.get(0).substring("a/v0/".length(), "a/v0/".length() + 3)) - 1;
        assertThat(s).isBetween(0, 30 - 8 - 2);
        for (int k = 0; k < 8; k++) {
            assertThat(r.get(k)).isEqualTo(String.format("a/v0/%03d.jpeg", s + k + 1));
        }
        // video 1 has 5 frames < L: start 0, frames clamped to the last one, as the reference
        assertThat(r.subList(8, 16)).containsExactly("b/v1/001.jpeg", "b/v1/002.jpeg", "b/v1/003.jpeg",
                "b/v1/004.jpeg", "b/v1/005.jpeg", "b/v1/005.jpeg", "b/v1/005.jpeg", "b/v1/005.jpeg");
        // the start depends on the video and seed only, not on the visiting order
        List<String> shuffled = records(StreamPlanner.build(request("k.txt", ListType.SEQUENTIAL, "a/v0 30",
                "b/v1 5", "c/v2 10").seqSamples(8).build()));
        assertThat(shuffled).containsExactlyInAnyOrderElementsOf(r);
        int at = shuffled.indexOf(r.get(0));
        assertThat(shuffled.subList(at, at + 8)).isEqualTo(r.subList(0, 8));
    }

    @Test
    void frameNamePatternAndAllFramesWithoutL() throws Exception {
        List<String> r = records(StreamPlanner.build(request("k.txt", ListType.SEQUENTIAL, "v 3")
                .kind(StreamKind.ORDERED).seqSamples(-1).fnameFmt("frame_{:05d}.jpg").build()));
        assertThat(r).containsExactly("v/frame_00001.jpg", "v/frame_00002.jpg", "v/frame_00003.jpg");
        assertThat(FrameNames.parse("{}.png").name(11)).isEqualTo("12.png");
        assertThat(FrameNames.parse("{{x}}{:4d}").name(0)).isEqualTo("{x}   1");
        assertThatThrownBy(() -> FrameNames.parse("{:s}.jpg")).isInstanceOf(ListFormatException.class)
                .hasMessageContaining("data.fname_fmt");
        assertThatThrownBy(() -> FrameNames.parse("img.jpg")).hasMessageContaining("no {} field");
    }

    @Test
    void randomSamplingWritesVideoSlotsAndNoneNoseqShufflesThemOneByOne() throws Exception {
        List<String> slots = records(StreamPlanner.build(request("k.txt", ListType.SEQUENTIAL, "a/v0 30", "b/v1 5")
                .kind(StreamKind.ORDERED).seqSamples(4).seqSampling(FrameSampling.RANDOM).build()));
        assertThat(slots).containsExactly("a/v0 30", "a/v0 30", "a/v0 30", "a/v0 30", "b/v1 5", "b/v1 5", "b/v1 5",
                "b/v1 5");
        assertThat(VideoSlot.parse(slots.get(5), null, 5)).isEqualTo(new VideoSlot("b/v1", 5));

        String[] many = new String[20];
        for (int i = 0; i < many.length; i++) {
            many[i] = "v" + i + " 40";
        }
        List<String> clips = records(StreamPlanner.build(request("m.txt", ListType.SEQUENTIAL, many)
                .seqSamples(8).build()));
        List<String> decorrelated = records(StreamPlanner.build(request("m.txt", ListType.SEQUENTIAL, many)
                .seqSamples(8).decorrelate(true).build()));
        assertThat(decorrelated).containsExactlyInAnyOrderElementsOf(clips);
        assertThat(runs(clips)).isEqualTo(20);
        assertThat(runs(decorrelated)).isGreaterThan(100);
    }

    /** Number of maximal runs of records from the same video. */
    private static int runs(List<String> records) {
        int runs = 0;
        String last = null;
        for (String r : records) {
            String video = r.substring(0, r.indexOf('/'));
            if (!video.equals(last)) {
                runs++;
            }
            last = video;
        }
        return runs;
    }

    @Test
    void classSequentialVisitsBlocksOfOneClassUntilAllAreExhausted() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            for (int i = 0; i < 10 + c; i++) {
                lines.add("cls" + c + "/img" + i + ".png");
            }
        }
        StreamPlan plan = StreamPlanner.build(request("cs.txt", ListType.CLASS_SEQUENTIAL,
                lines.toArray(String[]::new)).clsSamples(4).build());
        List<String> r = records(plan);
        assertThat(r).containsExactlyInAnyOrderElementsOf(lines);
        try (MemmapList l = MemmapList.open(plan.streamList())) {
            assertThat(l.metadata().classNames()).containsExactly("cls0", "cls1", "cls2", "cls3", "cls4");
            // every record carries its class's label
            Set<Integer> orderOfFirstVisits = new java.util.LinkedHashSet<>();
            for (int i = 0; i < r.size(); i++) {
                assertThat(r.get(i)).startsWith("cls" + l.labelAt(i) + "/");
                orderOfFirstVisits.add(l.labelAt(i));
            }
            assertThat(orderOfFirstVisits).hasSize(5);
        }
        // within a class, the images are shuffled, not in list order
        List<String> cls4 = r.stream().filter(p -> p.startsWith("cls4/")).toList();
        assertThat(cls4).isNotEqualTo(lines.stream().filter(p -> p.startsWith("cls4/")).toList());
        // labelled lines "<path> <int>" sort their classes numerically
        StreamPlan numeric = StreamPlanner.build(request("n.txt", ListType.CLASS_SEQUENTIAL, "x/a.png 10",
                "x/b.png 2", "x/c.png 2").clsSamples(0).build());
        try (MemmapList l = MemmapList.open(numeric.streamList())) {
            assertThat(l.metadata().classNames()).containsExactly("2", "10");
            assertThat(List.of(l.labelAt(0), l.labelAt(1), l.labelAt(2))).containsExactly(1, 0, 0);
        }
    }

    @Test
    void aClassFolderTreeIsAClassSequentialList() throws Exception {
        Path tree = dir.resolve("tree");
        Set<String> files = new HashSet<>();
        for (String c : List.of("b", "a")) {
            for (int i = 0; i < 3; i++) {
                Path f = tree.resolve(c).resolve(i + ".png");
                Files.createDirectories(f.getParent());
                Files.write(f, new byte[] {1});
                files.add(c + "/" + i + ".png");
            }
        }
        StreamPlan plan = StreamPlanner.build(StreamRequest.builder(dir.resolve("w")).trainFilelist(tree)
                .listType(ListType.CLASS_SEQUENTIAL).clsSamples(2).oodProbe(false).threads(1).build());
        assertThat(records(plan)).containsExactlyInAnyOrderElementsOf(files);
        try (MemmapList l = MemmapList.open(plan.streamList())) {
            assertThat(l.resolve(0)).startsWith(tree);
            assertThat(l.metadata().classNames()).containsExactly("a", "b");
        }
    }

    @Test
    void badListsAreOneLineErrorsNamingTheLine() throws Exception {
        assertThatThrownBy(() -> StreamPlanner.build(request("bad.txt", ListType.SEQUENTIAL, "a 3", "b x").build()))
                .isInstanceOf(ListFormatException.class).hasMessageContaining("bad.txt").hasMessageContaining("2");
        assertThatThrownBy(() -> StreamPlanner.build(request("esc.txt", ListType.STANDARD, "ok.png",
                "../../etc/passwd").build())).isInstanceOf(ListFormatException.class)
                .hasMessageContaining("escapes the base directory");
        assertThatThrownBy(() -> StreamRequest.builder(dir).listType(ListType.STANDARD).build())
                .hasMessageContaining("data.type");
    }

    @Test
    void memmapFingerprintsIgnoreTheTextListOptions() {
        StreamRequest a = StreamRequest.builder(dir).build();
        StreamRequest b = StreamRequest.builder(dir).seqSamples(3).fnameFmt("{}.png").clsSamples(9).build();
        assertThat(PlanFingerprint.of(a)).isEqualTo(PlanFingerprint.of(b));
        StreamRequest c = StreamRequest.builder(dir).trainFilelist(dir.resolve("l.txt"))
                .listType(ListType.SEQUENTIAL).build();
        assertThat(PlanFingerprint.of(c)).isNotEqualTo(PlanFingerprint.of(c.toBuilder().seqSamples(3).build()));
    }
}
