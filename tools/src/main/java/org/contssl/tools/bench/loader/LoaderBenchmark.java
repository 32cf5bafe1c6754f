package org.contssl.tools.bench.loader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.contssl.model.data.AugmentConfig;
import org.contssl.model.data.AugmentPool;
import org.contssl.model.data.DecodedImage;
import org.contssl.model.data.ImageDecoder;
import org.contssl.model.data.SeedMix;
import org.contssl.model.data.SimSiamAugment;
import org.contssl.model.data.ViewBatch;
import org.contssl.tools.BundledScripts;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.ProcessStats;
import org.contssl.tools.bench.Samples;
import org.contssl.tools.bench.Timing;

/**
 * The training input pipeline at ImageNet shape: real photos as 256-px JPEGs ({@link PhotoSet}), read + decode + two
 * SimSiam views at 224 px to normalised float tensors. contssl's images/s per core against PIL + torchvision doing
 * the same on the same files with the same number of cores ({@code tools/src/main/python/loader_bench.py}), in
 * interleaved rounds of one invocation. One core: contssl on the calling thread, torchvision in one process with one
 * torch thread. All cores: the {@link AugmentPool} with one thread per core against one Python process per core.
 */
public final class LoaderBenchmark {

    /**
     * @param seconds time budget of each contender in each round
     * @param rounds interleaved rounds
     * @param images at most this many photos
     * @param cacheDir where the re-encoded JPEGs are kept between runs
     * @param extraDirs more photo directories besides Debian's visp-images-data
     * @param python the interpreter with PIL, torch and torchvision; null skips the baseline
     * @param allCores also measure with one worker per core
     */
    public record Options(double seconds, int rounds, int images, Path cacheDir, List<Path> extraDirs, String python,
                          boolean allCores) {
        public Options {
            extraDirs = List.copyOf(extraDirs);
        }

        public static Options defaults() {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path cache = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"),
                    ".cache")).resolve("contssl").resolve("loader-256");
            return new Options(3.0, 3, 200, cache, List.of(), "/usr/bin/python3", true);
        }
    }

    static final int SHORT_SIDE = 256;
    static final int OUT_SIZE = 224;
    /** Pool batch: what one training step of ResNet-50 at 224 px on a small machine consumes. */
    private static final int POOL_BATCH = 32;

    private final Options opt;
    private final BenchReport report;

    private LoaderBenchmark(Options opt, BenchReport report) {
        this.opt = opt;
        this.report = report;
    }

    /** Runs the benchmark; progress lines go to {@code log}. */
    public static BenchReport run(Options opt, PrintStream log) throws Exception {
        if (opt.seconds() <= 0 || opt.rounds() < 1 || opt.images() < 1) {
            throw new IllegalArgumentException("--seconds, --rounds and --images must be positive");
        }
        BenchReport report = BenchReport.start("loader", log);
        new LoaderBenchmark(opt, report).run();
        return report;
    }

    private void run() throws Exception {
        ObjectNode out = report.json();
        out.put("load_average_start", ProcessStats.loadAverages());
        List<Path> sources = PhotoSet.sources(opt.extraDirs());
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no photos: install Debian's " + PhotoSet.DEBIAN_PACKAGE
                    + " (apt-get install -y " + PhotoSet.DEBIAN_PACKAGE + ") or pass --photos DIR");
        }
        List<Path> files = PhotoSet.prepare(sources, opt.cacheDir(), SHORT_SIDE, opt.images());
        if (files.isEmpty()) {
            throw new IllegalArgumentException("none of the " + sources.size() + " photo files decodes to an image"
                    + " of at least 96 px: pass --photos DIR");
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        out.put("photos", files.size());
        out.put("photo_sources", sources.size());
        out.put("cache_dir", opt.cacheDir().toString());
        out.put("mean_jpeg_bytes", bytes / files.size());
        out.put("short_side", SHORT_SIDE);
        out.put("out_size", OUT_SIZE);
        out.put("seconds_per_round", opt.seconds());
        out.put("rounds", opt.rounds());
        report.say("%d photos (256-px JPEGs, mean %d bytes) in %s; %s", files.size(), bytes / files.size(),
                opt.cacheDir(), out.get("cpu_model").asText());

        Path list = Files.createTempFile("contssl-loader", ".txt");
        try {
            Files.write(list, files.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
            Path script = baseline(out);
            int cores = Runtime.getRuntime().availableProcessors();
            out.set("one_core", compare(files, list, script, 1));
            if (opt.allCores() && cores > 1) {
                out.set("all_cores", compare(files, list, script, cores));
            }
            JsonNode one = out.get("one_core");
            if (one.has("ratio_vs_pil_torchvision")) {
                out.put("ratio_vs_pil_torchvision", one.get("ratio_vs_pil_torchvision").asDouble());
            }
            out.put("contssl_img_per_s_per_core", one.get("contssl_img_per_s_per_core").asDouble());
            if (one.has("pil_torchvision_img_per_s_per_core")) {
                out.put("pil_torchvision_img_per_s_per_core",
                        one.get("pil_torchvision_img_per_s_per_core").asDouble());
            }
        } finally {
            Files.deleteIfExists(list);
        }
        out.put("load_average_end", ProcessStats.loadAverages());
    }

    /** The extracted Python script, or null (reason recorded) when the interpreter cannot run it. */
    private Path baseline(ObjectNode out) {
        if (opt.python() == null) {
            out.put("pil_torchvision_skipped", "--no-baseline");
            return null;
        }
        try {
            Process p = new ProcessBuilder(opt.python(), "-c", "import PIL, torch, torchvision")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                out.put("pil_torchvision_skipped", opt.python() + " cannot import PIL/torch/torchvision"
                        + " (apt-get install -y python3-pil python3-torch python3-torchvision)");
                report.say("baseline skipped: %s", out.get("pil_torchvision_skipped").asText());
                return null;
            }
            return BundledScripts.extract("loader_bench.py");
        } catch (IOException e) {
            out.put("pil_torchvision_skipped", opt.python() + ": " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Interleaved rounds of contssl and the baseline at {@code workers} cores; rates are per core. */
    private ObjectNode compare(List<Path> files, Path list, Path script, int workers) throws Exception {
        AugmentConfig cfg = AugmentConfig.simsiam(OUT_SIZE, 3);
        Map<String, Timing.Round> contenders = new LinkedHashMap<>();
        double[] cpuUs = new double[1];
        List<Double> cpuRounds = new ArrayList<>();
        contenders.put("contssl", round -> {
            double rate = workers == 1 ? singleThread(files, cfg, cpuUs) : pooled(files, cfg, workers);
            if (workers == 1) {
                cpuRounds.add(cpuUs[0]);
            }
            report.say("%d core(s) round %d contssl: %.1f img/s per core", workers, round, rate / workers);
            return List.of(rate / workers);
        });
        List<JsonNode> pyRuns = new ArrayList<>();
        if (script != null) {
            contenders.put("pil_torchvision", round -> {
                JsonNode r = python(script, list, workers);
                pyRuns.add(r);
                report.say("%d core(s) round %d PIL+torchvision: %.1f img/s per core", workers, round,
                        r.get("img_per_s_per_worker").asDouble());
                return List.of(r.get("img_per_s_per_worker").asDouble());
            });
        }
        Map<String, List<Double>> rates = Timing.interleaved(opt.rounds(), contenders);
        ObjectNode node = BenchReport.MAPPER.createObjectNode();
        node.put("cores", workers);
        double ours = Samples.median(rates.get("contssl"));
        node.put("contssl_img_per_s_per_core", round(ours));
        putRounds(node, "contssl_per_round", rates.get("contssl"));
        if (workers == 1) {
            // median over the rounds, like the rates: one round hit by a burst of page faults or another
            // process's memory traffic no longer decides the figure (docs/performance.md, "Input pipeline")
            node.put("contssl_cpu_us_per_image", round(Samples.median(cpuRounds)));
            putRounds(node, "contssl_cpu_us_per_round", cpuRounds);
        }
        if (script != null) {
            double theirs = Samples.median(rates.get("pil_torchvision"));
            node.put("pil_torchvision_img_per_s_per_core", round(theirs));
            putRounds(node, "pil_torchvision_per_round", rates.get("pil_torchvision"));
            JsonNode last = pyRuns.get(pyRuns.size() - 1);
            List<Double> pyCpu = pyRuns.stream().map(r -> r.get("cpu_us_per_image").asDouble()).toList();
            node.put("pil_torchvision_cpu_us_per_image", round(Samples.median(pyCpu)));
            putRounds(node, "pil_torchvision_cpu_us_per_round", pyCpu);
            node.put("versions", "PIL " + last.get("pil").asText() + ", torch " + last.get("torch").asText()
                    + ", torchvision " + last.get("torchvision").asText());
            node.put("ratio_vs_pil_torchvision", BenchReport.round(ours / theirs, 3));
            report.say("%d core(s): contssl %.1f vs PIL+torchvision %.1f img/s per core: ratio %.2f", workers, ours,
                    theirs, ours / theirs);
        }
        return node;
    }

    private static void putRounds(ObjectNode node, String key, List<Double> values) {
        ArrayNode a = node.putArray(key);
        values.forEach(v -> a.add(round(v)));
    }

    /** Images/s on the calling thread: read + decode + two views per image ({@code cpuUs[0]}: CPU µs per image). */
    private double singleThread(List<Path> files, AugmentConfig cfg, double[] cpuUs) throws Exception {
        ImageDecoder decoder = new ImageDecoder();
        SimSiamAugment aug = new SimSiamAugment(cfg);
        float[] v1 = new float[cfg.sampleLength()];
        float[] v2 = new float[cfg.sampleLength()];
        int n = files.size();
        Timing.Sample s = Timing.perItem(opt.seconds(), i -> {
            DecodedImage img = decoder.decode(files.get(i % n));
            aug.augment(img, SeedMix.viewSeed(i, 1), v1, 0);
            aug.augment(img, SeedMix.viewSeed(i, 2), v2, 0);
        });
        cpuUs[0] = s.cpuSeconds() * 1e6;
        return 1 / s.wallSeconds();
    }

    /**
     * Images/s through the training loader's pool with {@code threads} workers, two batches in flight, each batch's
     * arrays handed back to the pool once consumed, as the training loop does.
     */
    private double pooled(List<Path> files, AugmentConfig cfg, int threads) throws Exception {
        try (AugmentPool pool = new AugmentPool(new ImageDecoder(), cfg, threads, 2, 0)) {
            int n = files.size();
            long[] seeds = new long[POOL_BATCH];
            int[] cursor = {0};
            java.util.function.Supplier<List<Path>> next = () -> {
                List<Path> b = new ArrayList<>(POOL_BATCH);
                for (int k = 0; k < POOL_BATCH; k++) {
                    seeds[k] = cursor[0];
                    b.add(files.get(cursor[0]++ % n));
                }
                return b;
            };
            long warmEnd = System.nanoTime() + (long) (opt.seconds() * 0.3e9);
            CompletableFuture<ViewBatch> inFlight = pool.submit(next.get(), seeds.clone());
            while (System.nanoTime() < warmEnd) {
                CompletableFuture<ViewBatch> f = pool.submit(next.get(), seeds.clone());
                pool.recycle(inFlight.join());
                inFlight = f;
            }
            pool.recycle(inFlight.join());
            long t0 = System.nanoTime();
            long end = t0 + (long) (opt.seconds() * 1e9);
            int done = 0;
            long now;
            inFlight = pool.submit(next.get(), seeds.clone());
            do {
                CompletableFuture<ViewBatch> f = pool.submit(next.get(), seeds.clone());
                ViewBatch b = inFlight.join();
                if (!b.failures().isEmpty()) {
                    throw new IllegalStateException(b.failures().get(0).message());
                }
                done += b.size();
                pool.recycle(b); // as the training loop does once its step has copied the views
                inFlight = f;
                now = System.nanoTime();
            } while (now < end);
            inFlight.join();
            return done / ((now - t0) / 1e9);
        }
    }

    private JsonNode python(Path script, Path list, int workers) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(opt.python(), script.toString(), "--list", list.toString(),
                "--workers", Integer.toString(workers), "--seconds", Double.toString(opt.seconds()), "--size",
                Integer.toString(OUT_SIZE)).redirectErrorStream(true);
        // the baseline runs as users run it: without the malloc tuning this JVM may have been started with
        pb.environment().keySet().removeIf(k -> k.startsWith("MALLOC_") || k.equals("GLIBC_TUNABLES"));
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(script + " failed (exit " + p.exitValue() + "): " + text);
        }
        return BenchReport.MAPPER.readTree(text.substring(text.lastIndexOf('\n') + 1));
    }

    private static double round(double v) {
        return BenchReport.round(v, 2);
    }
}
