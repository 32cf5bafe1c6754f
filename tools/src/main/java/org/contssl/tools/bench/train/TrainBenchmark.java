package org.contssl.tools.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.contssl.model.Engines;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.StepResult;
import org.contssl.model.TrainerOptions;
import org.contssl.model.optim.LrSchedule;
import org.contssl.tools.bench.BenchReport;
import org.contssl.tools.bench.ProcessStats;
import org.contssl.tools.bench.Samples;
import org.contssl.tools.bench.Timing;

/**
 * Throughput of one SimSiam training step (2 views, forward + backward + update) on DJL/libtorch against the PyTorch
 * reference script on the same CPU, same batch and thread count, in the same invocation (rounds interleave the two so
 * that load from other processes hits both alike); achieved GFLOP/s against a measured fp32 matmul peak on the same
 * engine (MKL sgemm) and a large oneDNN convolution; RSS after 100 and 1,000 steps; and a bitwise determinism check.
 *
 * <p>Models: {@code conv4} = 28 px, 1 channel (Fashion-MNIST); {@code resnet18} = CIFAR stem, 32 px, 3 channels;
 * {@code resnet50} = the reference's model, ImageNet stem, 224 px, batch at most {@link #RESNET50_BATCH}. The RSS
 * part runs on conv4 by default because 1,000 ResNet-18 steps take hours on 2 cores.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    private static final ObjectMapper MAPPER = BenchReport.MAPPER;

    /** Key of the PyTorch reference among the interleaved contenders (never a variant name). */
    private static final String PYTORCH = "pytorch";

    /**
     * @param models {@code conv4}, {@code resnet18}, {@code resnet50}
     * @param batch images per step (128)
     * @param threads intra-op threads of both engines (2)
     * @param rounds interleaved rounds of contssl variants and PyTorch (3)
     * @param warmup untimed steps per round, or null for the model's default (conv4 3, resnet18 2)
     * @param steps timed steps per round, or null for the model's default (conv4 15, resnet18 5)
     * @param variants trainer variants: {@code fastest}, {@code plain}, {@code fused}
     * @param python the interpreter with torch and torchvision
     * @param pytorchScript the PyTorch reference script, or null for $CONTSSL_PYTORCH_BENCH or
     *     the bundled {@code simsiam_bench.py}
     * @param pytorch whether to run the PyTorch reference at all
     * @param rssModel model of the RSS-growth part ({@code conv4} or {@code resnet18})
     * @param rssSteps steps of the RSS-growth part (1,000)
     * @param rss whether to run the RSS-growth part
     * @param peakSize n of the n x n matmul peak (2,048)
     */
    public record Options(List<String> models, int batch, int threads, int rounds, Integer warmup, Integer steps,
                          List<String> variants, String python, String pytorchScript, boolean pytorch,
                          String rssModel, int rssSteps, boolean rss, int peakSize) {
        public Options {
            models = List.copyOf(models);
            variants = List.copyOf(variants);
        }

        public static Options defaults() {
            return new Options(List.of("conv4", "resnet18"), 128, 2, 3, null, null, List.of("fastest"),
                    PytorchReference.DEFAULT_PYTHON, null, true, "conv4", 1000, true, 2048);
        }
    }

    /** One benchmarked model configuration; {@code batch} may be below the run's (ResNet-50 at 224 px). */
    record Case(String name, SimSiamSpec spec, int warmup, int steps, int batch) {}

    /**
     * ResNet-50's batch at 224 px: the reference's model at the paper's crop size costs ~8 GFLOP per image per view
     * and step, so a 2-core machine can only time a small batch in minutes (the reference's per-GPU batch is 256).
     */
    static final int RESNET50_BATCH = 8;

    /** Runs the benchmark; progress lines go to {@code log}. */
    public static BenchReport run(Options opt, PrintStream log) throws Exception {
        for (String v : opt.variants()) {
            options(v); // fail on a bad variant before minutes of measurement
        }
        int batch = opt.batch();
        int threads = opt.threads();
        int rounds = opt.rounds();
        Engines.Info info = Engines.configure(threads, 1);
        BenchReport report = BenchReport.start("train", log);
        ObjectNode out = report.json();
        out.put("engine", info.engine() + " " + info.version());
        out.put("intra_op_threads", info.intraOpThreads());
        out.put("inter_op_threads", info.interOpThreads());
        out.put("native_allocator", info.allocator());
        String arenas = System.getenv("MALLOC_ARENA_MAX");
        out.put("malloc_arena_max_env", arenas == null ? "unset" : arenas);
        out.put("load_average_start", ProcessStats.loadAverages());
        out.put("batch", batch);
        out.put("rounds", rounds);
        report.say("engine %s, intra-op threads %d, inter-op threads %d, %s, %s, load %s", out.get("engine").asText(),
                info.intraOpThreads(), info.interOpThreads(), info.allocator(), out.get("cpu_model").asText(),
                out.get("load_average_start").asText());

        if (arenas == null) {
            report.say("note: MALLOC_ARENA_MAX is unset: libtorch's allocations then come from glibc per-thread heaps "
                    + "that cannot keep blocks above 64 MiB, and ResNet-18 steps page-fault ~1 GB each; "
                    + "MALLOC_ARENA_MAX=1 (set by run.sh) removes that");
        }
        PytorchReference torch = null;
        if (opt.pytorch()) {
            String[] why = new String[1];
            torch = PytorchReference.locate(opt.python(), opt.pytorchScript(), why);
            if (torch == null) {
                out.put("pytorch_skipped", why[0]);
                report.say("PyTorch reference skipped: %s", why[0]);
            } else {
                out.put("pytorch_script", torch.script().toString());
            }
        }

        // first, in a fresh process: native memory is kept for reuse (NativeAllocator), so a later phase would
        // inherit the peak of the ResNet-18 runs
        if (opt.rss()) {
            SimSiamSpec spec = opt.rssModel().equals("resnet18") ? SimSiamSpec.of("resnet18", 3, 32, true)
                    : SimSiamSpec.of("conv4", 1, 28, true);
            out.set("rss", rss(report, spec, batch, opt.rssSteps()));
        }
        double matmul = matmulPeak(opt.peakSize());
        double conv = convPeak();
        double peak = Math.max(matmul, conv);
        out.put("matmul_peak_gflops", round(matmul, 1));
        out.put("conv_peak_gflops", round(conv, 1));
        report.say("fp32 peaks on this engine (best run after 2 warm-up runs): matmul (MKL sgemm %d^3) %.1f GFLOP/s,"
                + " 3x3 conv (oneDNN, 128x256x16x16 -> 256) %.1f GFLOP/s", opt.peakSize(), matmul, conv);

        ArrayNode models = out.putArray("models");
        for (String name : opt.models()) {
            Case c = switch (name) {
                case "conv4" -> new Case("conv4", SimSiamSpec.of("conv4", 1, 28, true),
                        orDefault(opt.warmup(), 3), orDefault(opt.steps(), 15), batch);
                case "resnet18" -> new Case("resnet18", SimSiamSpec.of("resnet18", 3, 32, true),
                        orDefault(opt.warmup(), 2), orDefault(opt.steps(), 5), batch);
                // the reference's model at the paper's shape: ImageNet stem, 224 px, widths 2048/2048/512
                case "resnet50" -> new Case("resnet50", SimSiamSpec.of("resnet50", 3, 224, false),
                        orDefault(opt.warmup(), 1), orDefault(opt.steps(), 3), Math.min(batch, RESNET50_BATCH));
                default -> throw new IllegalArgumentException("--models: " + name
                        + " is not conv4, resnet18 or resnet50");
            };
            models.add(benchModel(report, c, c.batch(), threads, rounds, opt.variants(), torch, peak));
        }

        out.set("determinism", determinism(report, SimSiamSpec.of("conv4", 1, 28, true), batch));
        out.put("load_average_end", ProcessStats.loadAverages());
        return report;
    }

    private static int orDefault(Integer v, int def) {
        return v == null ? def : v;
    }

    private static ObjectNode benchModel(BenchReport report, Case c, int batch, int threads, int rounds,
                                         List<String> variants, PytorchReference torch, double peak)
            throws Exception {
        SimSiamSpec spec = c.spec();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("model", c.name());
        node.put("input", spec.inChannels() + "x" + spec.insize() + "x" + spec.insize()
                + (spec.cifarStem() ? " (CIFAR stem)" : ""));
        node.put("batch", batch);
        Random r = new Random(1);
        float[] v1 = gaussian(r, batch * spec.imageFloats());
        float[] v2 = gaussian(r, batch * spec.imageFloats());
        String[] torchVersion = new String[1];
        long[][] macsOut = new long[1][];
        // every round runs each variant, then PyTorch: load from other processes hits all of them alike
        Map<String, Timing.Round> contenders = new LinkedHashMap<>();
        // process CPU seconds per step: on a machine shared with other processes the steadier figure (contention
        // stretches wall time, and spinning OpenMP threads stretch it far more than the work they do)
        Map<String, List<Double>> cpuPerStep = new LinkedHashMap<>();
        List<Double> torchCpu = new ArrayList<>();
        for (String v : variants) {
            List<Double> cpus = cpuPerStep.computeIfAbsent(v, k -> new ArrayList<>());
            List<Double> soFar = new ArrayList<>();
            contenders.put(v, round -> {
                List<Double> ts = new ArrayList<>();
                try (SimSiamTrainer t = SimSiamTrainer.create(spec,
                        OptimSpec.reference(0.05, LrSchedule.COS, c.warmup() + c.steps()), 0, options(v))) {
                    macsOut[0] = t.forwardMacsPerImage();
                    for (int i = 0; i < c.warmup(); i++) {
                        t.step(v1, v2, batch);
                    }
                    for (int i = 0; i < c.steps(); i++) {
                        long cpu0 = ProcessStats.processCpuNanos();
                        StepResult res = t.step(v1, v2, batch);
                        cpus.add((ProcessStats.processCpuNanos() - cpu0) / 1e9);
                        ts.add(res.totalMs() / 1000.0);
                    }
                }
                soFar.addAll(ts);
                report.say("%s round %d contssl[%s]: median so far %.3f s/step", c.name(), round, v,
                        Samples.median(soFar));
                return ts;
            });
        }
        if (torch != null) {
            contenders.put(PYTORCH, round -> {
                JsonNode res = torch.run(c.name(), spec.insize(), spec.inChannels(), batch, c.warmup(), c.steps(),
                        threads);
                torchVersion[0] = res.get("torch").asText();
                if (res.has("median_step_cpu_s")) {
                    torchCpu.add(res.get("median_step_cpu_s").asDouble());
                }
                report.say("%s round %d pytorch %s: %.2f img/s (%d threads)", c.name(), round, torchVersion[0],
                        res.get("img_per_s").asDouble(), res.get("threads").asInt());
                return List.of(res.get("img_per_s").asDouble());
            });
        }
        Map<String, List<Double>> times = Timing.interleaved(rounds, contenders);
        List<Double> torchImgPerS = times.containsKey(PYTORCH) ? times.remove(PYTORCH) : List.of();
        String torchVersionText = torchVersion[0];
        long[] macs = macsOut[0];
        // FLOPs of one step: per image and view, forward (M MACs) + weight gradient (M) + input gradient (M minus the
        // first conv, whose input needs none), 2 FLOPs per MAC; batch norm, ReLU and the optimizer are not counted
        long total = macs[0] + macs[1];
        double flopsPerStep = 2.0 * batch * 2.0 * (3.0 * total - macs[2]);
        node.put("gflop_per_step", round(flopsPerStep / 1e9, 2));
        Double torchMedian = torchImgPerS.isEmpty() ? null : Samples.median(torchImgPerS);
        if (torchMedian != null) {
            ObjectNode tn = node.putObject("pytorch");
            tn.put("torch", torchVersionText);
            tn.put("img_per_s", round(torchMedian, 2));
            ArrayNode runs = tn.putArray("img_per_s_per_round");
            torchImgPerS.forEach(x -> runs.add(round(x, 2)));
            if (!torchCpu.isEmpty()) {
                tn.put("median_step_cpu_s", round(Samples.median(torchCpu), 4));
            }
        }
        ArrayNode vs = node.putArray("contssl");
        for (Map.Entry<String, List<Double>> e : times.entrySet()) {
            double med = Samples.median(e.getValue());
            ObjectNode vn = vs.addObject();
            vn.put("variant", e.getKey());
            vn.put("options", options(e.getKey()).toString());
            vn.put("median_step_s", round(med, 4));
            vn.put("img_per_s", round(batch / med, 2));
            vn.put("timed_steps", e.getValue().size());
            double gflops = flopsPerStep / med / 1e9;
            vn.put("gflops", round(gflops, 1));
            vn.put("fraction_of_peak", round(gflops / peak, 3));
            if (torchMedian != null) {
                vn.put("ratio_vs_pytorch", round(batch / med / torchMedian, 3));
            }
            List<Double> cpus = cpuPerStep.get(e.getKey());
            if (cpus != null && !cpus.isEmpty()) {
                double cpuMed = Samples.median(cpus);
                vn.put("median_step_cpu_s", round(cpuMed, 4));
                if (!torchCpu.isEmpty()) {
                    // PyTorch's CPU seconds over ours for the same step: the per-CPU-second speed ratio
                    vn.put("cpu_time_ratio_vs_pytorch", round(Samples.median(torchCpu) / cpuMed, 3));
                }
            }
            report.say("%s contssl[%s]: %.2f img/s (median %.3f s/step), %.1f GFLOP/s = %.0f%% of peak%s",
                    c.name(), e.getKey(), batch / med, med, gflops, 100 * gflops / peak,
                    torchMedian == null ? "" : String.format(Locale.ROOT,
                            ", PyTorch %.2f img/s, ratio contssl/PyTorch %.2f",
                            torchMedian, batch / med / torchMedian));
        }
        return node;
    }

    private static ObjectNode rss(BenchReport report, SimSiamSpec spec, int batch, int steps) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("model", spec.backbone());
        node.put("batch", batch);
        Random r = new Random(3);
        float[] v1 = gaussian(r, batch * spec.imageFloats());
        float[] v2 = gaussian(r, batch * spec.imageFloats());
        int first = Math.min(100, steps);
        double rssFirst = -1;
        double heapFirst = -1;
        try (SimSiamTrainer t = SimSiamTrainer.create(spec, OptimSpec.reference(0.05, LrSchedule.COS, steps), 0)) {
            for (int i = 1; i <= steps; i++) {
                t.step(v1, v2, batch);
                if (i == first || i == steps) {
                    System.gc();
                    double rss = ProcessStats.rssMb();
                    double heap = ProcessStats.heapCommittedMb();
                    report.say("RSS after %d %s steps: %.1f MiB (Java heap committed %.1f MiB)", i, spec.backbone(),
                            rss, heap);
                    if (i == first) {
                        rssFirst = rss;
                        heapFirst = heap;
                        node.put("rss_mb_after_" + i, round(rss, 1));
                        node.put("heap_committed_mb_after_" + i, round(heap, 1));
                    }
                    if (i == steps) {
                        node.put("rss_mb_after_" + i, round(rss, 1));
                        node.put("heap_committed_mb_after_" + i, round(heap, 1));
                        node.put("ratio", round(rss / rssFirst, 4));
                        node.put("native_ratio", round((rss - heap) / (rssFirst - heapFirst), 4));
                        report.say("RSS ratio %d/%d steps: %.4f (target <= 1.05)", steps, first, rss / rssFirst);
                    }
                }
            }
        }
        return node;
    }

    private static ObjectNode determinism(BenchReport report, SimSiamSpec spec, int batch) {
        ObjectNode node = MAPPER.createObjectNode();
        Random r = new Random(5);
        float[] v1 = gaussian(r, batch * spec.imageFloats());
        float[] v2 = gaussian(r, batch * spec.imageFloats());
        String[] sha = new String[2];
        for (int k = 0; k < 2; k++) {
            try (SimSiamTrainer t = SimSiamTrainer.create(spec, OptimSpec.reference(0.05, LrSchedule.COS, 3), 42)) {
                for (int i = 0; i < 3; i++) {
                    t.step(v1, v2, batch);
                }
                sha[k] = t.parametersSha256();
            }
        }
        node.put("model", spec.backbone());
        node.put("steps", 3);
        node.put("identical", sha[0].equals(sha[1]));
        node.put("sha256", sha[0]);
        report.say("determinism: two %s trainers, same seed and inputs, 3 steps: %s", spec.backbone(),
                sha[0].equals(sha[1]) ? "bitwise identical" : "DIFFERENT");
        return node;
    }

    /** Best GFLOP/s of an n×n fp32 matmul on the engine (MKL sgemm). */
    public static double matmulPeak(int n) {
        return Engines.call(() -> {
            try (NDManager m = Engines.newManager()) {
                NDArray a = m.randomNormal(new Shape(n, n));
                NDArray b = m.randomNormal(new Shape(n, n));
                return bestGflops(m, a, 5, 2.0 * n * n * n, x -> x.matMul(b));
            }
        });
    }

    /**
     * Best GFLOP/s of a large 3×3 convolution forward (oneDNN's best case here: on this AMD CPU MKL's sgemm runs
     * AVX2 kernels while oneDNN uses AVX-512, so convolutions can beat the matmul "peak").
     */
    static double convPeak() {
        return Engines.call(() -> {
            try (NDManager m = Engines.newManager()) {
                NDArray x = m.randomNormal(new Shape(128, 256, 16, 16));
                NDArray w = m.randomNormal(0, 0.05f, new Shape(256, 256, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
                return bestGflops(m, x, 4, 2.0 * 128 * 256 * 16 * 16 * 256 * 9,
                        xi -> org.contssl.model.nn.Ops.conv2d(xi, w, 1, 1));
            }
        });
    }

    /**
     * Best GFLOP/s of {@code op} over {@code timed} runs after 2 warm-up runs, each on a copy of {@code input} attached to
     * a sub-manager (so each result is freed with it; the copy is made outside the clock), reading one element to
     * force completion.
     */
    private static double bestGflops(NDManager m, NDArray input, int timed, double flops,
                                     UnaryOperator<NDArray> op) throws Exception {
        Samples s = Timing.repeatSelfTimed(2, timed, () -> {
            try (NDManager sub = m.newSubManager()) {
                NDArray in = input.duplicate();
                in.attach(sub);
                long t0 = System.nanoTime();
                NDArray out = op.apply(in);
                out.getFloat(new long[out.getShape().dimension()]);
                return (System.nanoTime() - t0) / 1e9;
            }
        });
        return flops / s.bestWall() / 1e9;
    }

    public static TrainerOptions options(String variant) {
        return switch (variant) {
            case "fastest" -> TrainerOptions.fastest();
            case "plain" -> TrainerOptions.plain();
            case "fused" -> TrainerOptions.fused();
            default -> throw new IllegalArgumentException("--variants: " + variant + " is not fastest, plain or fused");
        };
    }

    private static double round(double v, int digits) {
        return BenchReport.round(v, digits);
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
