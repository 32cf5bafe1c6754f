package org.contssl.tools.bench.augment;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.contssl.core.AtomicFiles;
import org.contssl.model.data.AugmentConfig;
import org.contssl.model.data.AugmentPool;
import org.contssl.model.data.DecodedImage;
import org.contssl.model.data.ImageDecoder;
import org.contssl.model.data.SeedMix;
import org.contssl.model.data.SimSiamAugment;
import org.contssl.model.data.ViewBatch;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.ProcessStats;
import org.contssl.tools.bench.Timing;

/**
 * Images per second of the data path (read + decode + two SimSiam views) for 28×28 grey PNGs (real Fashion-MNIST
 * images when {@code /usr/share/datasets/fashion-mnist} is installed) and for 320×256 RGB JPEGs augmented to 224 px:
 * single thread, the {@link AugmentPool} at 1..N threads, and the decoded-image cache on a replayed batch. Baselines
 * in the same run: ImageIO's PNG decode against ours. Single-thread figures come as wall and CPU time; on a shared
 * machine (see {@code load_average_at_start}) the CPU figure is the steadier one. Runs in about 30 s.
 */
public final class AugmentBenchmark {

    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    /** Pool batch sizes: the demo's 128 for 28 px; smaller for 224 px so a batch fits the time budget. */
    private static final int BATCH_28 = 128;
    private static final int BATCH_224 = 16;
    /** The demo's training rate on 2 cores (docs/performance.md), to express the data cost as a share of a step. */
    private static final double TRAIN_IMG_PER_S = 350;

    /**
     * @param seconds time budget per measurement (1.0)
     * @param small a smoke run: few files and tiny 224-px batches, so a test can run every code path in seconds
     */
    public record Options(double seconds, boolean small) {
        public static Options defaults() {
            return new Options(1.0, false);
        }
    }

    private final double seconds;
    private final boolean small;
    private final BenchReport report;

    private AugmentBenchmark(Options o, BenchReport report) {
        this.seconds = o.seconds();
        this.small = o.small();
        this.report = report;
    }

    /** Runs the benchmark; progress lines go to {@code log}. */
    public static BenchReport run(Options o, PrintStream log) throws Exception {
        BenchReport report = BenchReport.start("augment", log);
        new AugmentBenchmark(o, report).run();
        return report;
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("contssl-augbench");
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cpus", Runtime.getRuntime().availableProcessors());
            out.put("seconds_per_measurement", seconds);
            out.put("load_average_at_start", round(ProcessStats.loadAverage()));
            out.put("png28_grey", png28(dir));
            out.put("jpeg224_rgb", jpeg224(dir));
            report.putAll(out);
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }

    // ------------------------------------------------------------------------------------------------ workloads

    private Map<String, Object> png28(Path dir) throws Exception {
        int count = small ? 64 : 512;
        List<DecodedImage> src = fashionMnist(count);
        String source = src.isEmpty() ? "synthetic" : "fashion-mnist";
        if (src.isEmpty()) {
            for (int i = 0; i < count; i++) {
                src.add(synthetic(28, 28, 1, i));
            }
        }
        List<Path> files = write(src, dir.resolve("png"), "png");
        AugmentConfig cfg = AugmentConfig.simsiam(28, 1);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("source", source);
        r.put("images", files.size());
        r.put("bytes_per_file", Files.size(files.get(0)));
        workload(r, files, cfg, BATCH_28, true);
        log("png28: %s", r);
        return r;
    }

    private Map<String, Object> jpeg224(Path dir) throws Exception {
        List<DecodedImage> src = new ArrayList<>();
        for (int i = 0; i < (small ? 4 : 48); i++) {
            src.add(synthetic(320, 256, 3, i));
        }
        List<Path> files = write(src, dir.resolve("jpg"), "jpeg");
        AugmentConfig cfg = AugmentConfig.simsiam(224, 3);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("source", "synthetic 320x256");
        r.put("images", files.size());
        r.put("bytes_per_file", Files.size(files.get(0)));
        workload(r, files, cfg, small ? 2 : BATCH_224, false);
        log("jpeg224: %s", r);
        return r;
    }

    private void workload(Map<String, Object> r, List<Path> files, AugmentConfig cfg, int batch, boolean imageIoBaseline)
            throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        SimSiamAugment aug = new SimSiamAugment(cfg);
        List<DecodedImage> decoded = new ArrayList<>();
        for (Path f : files) {
            decoded.add(decoder.decode(f));
        }
        float[] v1 = new float[cfg.sampleLength()];
        float[] v2 = new float[cfg.sampleLength()];
        int n = files.size();

        double decodeUs = perItemMicros(i -> decoder.decode(files.get(i % n)));
        r.put("decode_us", round(decodeUs));
        r.put("decode_cpu_us", round(lastCpuMicros));
        if (imageIoBaseline) {
            double imageIoUs = perItemMicros(i -> ImageIO.read(files.get(i % n).toFile()));
            r.put("decode_imageio_us", round(imageIoUs));
            r.put("decode_imageio_cpu_us", round(lastCpuMicros));
            r.put("imageio_over_ours", round(imageIoUs / decodeUs));
        }
        double viewUs = perItemMicros(i -> aug.augment(decoded.get(i % n), i, v1, 0));
        r.put("augment_one_view_us", round(viewUs));
        r.put("augment_one_view_cpu_us", round(lastCpuMicros));
        double fullUs = perItemMicros(i -> {
            DecodedImage img = decoder.decode(files.get(i % n));
            aug.augment(img, SeedMix.viewSeed(i, 1), v1, 0);
            aug.augment(img, SeedMix.viewSeed(i, 2), v2, 0);
        });
        r.put("single_thread_us_per_image", round(fullUs));
        r.put("single_thread_cpu_us_per_image", round(lastCpuMicros));
        r.put("single_thread_img_per_s", round(1e6 / fullUs));
        if (cfg.outSize() <= 32) {
            r.put("share_of_train_step_at_" + (int) TRAIN_IMG_PER_S + "_img_per_s",
                    round(fullUs / (1e6 / TRAIN_IMG_PER_S)));
        }

        Map<String, Object> pool = new LinkedHashMap<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        for (int t = 1; t <= Math.max(2, cpus); t *= 2) {
            double ips = poolRate(files, cfg, batch, t, 0);
            pool.put(t + "_threads_img_per_s", round(ips));
            pool.put(t + "_threads_over_single", round(ips / (1e6 / fullUs)));
        }
        r.put("pool_batch" + batch, pool);
        // Replay: the same batch again and again (what a buffer's R-fold replay looks like), cache on vs off.
        double noCache = poolRate(files.subList(0, Math.min(batch, n)), cfg, batch, 1, 0);
        double withCache = poolRate(files.subList(0, Math.min(batch, n)), cfg, batch, 1, 256L << 20);
        r.put("replay_1_thread_no_cache_img_per_s", round(noCache));
        r.put("replay_1_thread_cache_img_per_s", round(withCache));
        r.put("cache_speedup", round(withCache / noCache));
    }

    /** CPU time per item of the last {@link #perItemMicros} call: less sensitive to other processes than wall time. */
    private double lastCpuMicros;

    /** Wall-clock microseconds per item within the time budget (CPU microseconds in {@link #lastCpuMicros}). */
    private double perItemMicros(Timing.Item item) throws Exception {
        Timing.Sample s = Timing.perItem(seconds, item);
        lastCpuMicros = s.cpuSeconds() * 1e6;
        return s.wallSeconds() * 1e6;
    }

    /** Images per second through the pool, two batches in flight, batches drawn cyclically from {@code files}. */
    private double poolRate(List<Path> files, AugmentConfig cfg, int batch, int threads, long cacheBytes)
            throws Exception {
        try (AugmentPool pool = new AugmentPool(new ImageDecoder(), cfg, threads, 2, cacheBytes)) {
            int n = files.size();
            long[] seeds = new long[batch];
            int[] cursor = {0};
            java.util.function.Supplier<List<Path>> nextBatch = () -> {
                List<Path> b = new ArrayList<>(batch);
                for (int k = 0; k < batch; k++) {
                    b.add(files.get(cursor[0]++ % n));
                }
                return b;
            };
            long warmEnd = System.nanoTime() + (long) (seconds * 0.3e9);
            CompletableFuture<ViewBatch> inFlight = pool.submit(nextBatch.get(), seeds);
            while (System.nanoTime() < warmEnd) {
                CompletableFuture<ViewBatch> next = pool.submit(nextBatch.get(), seeds);
                inFlight.join();
                inFlight = next;
            }
            inFlight.join();
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9);
            int done = 0;
            inFlight = pool.submit(nextBatch.get(), seeds);
            long now;
            do {
                CompletableFuture<ViewBatch> next = pool.submit(nextBatch.get(), seeds);
                ViewBatch b = inFlight.join();
                if (!b.failures().isEmpty()) {
                    throw new IllegalStateException(b.failures().get(0).message());
                }
                done += b.size();
                inFlight = next;
                now = System.nanoTime();
            } while (now < end);
            inFlight.join();
            return done / ((now - t0) / 1e9);
        }
    }

    // ------------------------------------------------------------------------------------------------ inputs

    private static List<DecodedImage> fashionMnist(int count) throws IOException {
        List<DecodedImage> r = new ArrayList<>();
        if (!Files.isReadable(FASHION)) {
            return r;
        }
        try (InputStream raw = Files.newInputStream(FASHION);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            if (in.readInt() != 2051) {
                return r;
            }
            int n = Math.min(count, in.readInt());
            int rows = in.readInt();
            int cols = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] px = new byte[rows * cols];
                in.readFully(px);
                r.add(new DecodedImage(cols, rows, 1, px));
            }
        }
        return r;
    }

    /** Smooth gradients plus mild noise: compresses like a photo rather than like white noise. */
    private static DecodedImage synthetic(int w, int h, int c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] px = new byte[w * h * c];
        double fx = 0.01 + rnd.nextDouble() * 0.05;
        double fy = 0.01 + rnd.nextDouble() * 0.05;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    double v = 128 + 90 * Math.sin(fx * x * (k + 1) + fy * y) + rnd.nextInt(21) - 10;
                    px[(y * w + x) * c + k] = (byte) Math.max(0, Math.min(255, (int) v));
                }
            }
        }
        return new DecodedImage(w, h, c, px);
    }

    private static List<Path> write(List<DecodedImage> imgs, Path dir, String format) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < imgs.size(); i++) {
            DecodedImage d = imgs.get(i);
            BufferedImage bi = new BufferedImage(d.width(), d.height(), d.channels() == 1
                    ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
            byte[] data = ((java.awt.image.DataBufferByte) bi.getRaster().getDataBuffer()).getData();
            if (d.channels() == 1) {
                System.arraycopy(d.pixels(), 0, data, 0, data.length);
            } else {
                for (int p = 0; p < d.width() * d.height(); p++) { // RGB -> BGR
                    data[3 * p] = d.pixels()[3 * p + 2];
                    data[3 * p + 1] = d.pixels()[3 * p + 1];
                    data[3 * p + 2] = d.pixels()[3 * p];
                }
            }
            Path f = dir.resolve(i + (format.equals("png") ? ".png" : ".jpg"));
            ImageIO.write(bi, format, f.toFile());
            files.add(f);
        }
        return files;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private void log(String fmt, Object... args) {
        report.say(fmt, args);
    }
}
