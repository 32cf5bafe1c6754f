package org.contssl.tools.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.contssl.model.Engines;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.SimSiamTrainer;
import org.contssl.model.StepResult;
import org.contssl.model.TrainerOptions;
import org.contssl.model.optim.LrSchedule;

/**
 * Throughput of one SimSiam training step (2 views, forward + backward + update) on DJL/libtorch against the PyTorch
 * reference script on the same CPU, same batch and thread count, in the same invocation (rounds interleave the two so
 * that load from other processes hits both alike); achieved GFLOP/s against a measured fp32 matmul peak on the same
 * engine (MKL sgemm) and a large oneDNN convolution; RSS after 100 and 1,000 steps; and a bitwise determinism check.
 *
 * <pre>
 * TrainBenchmark [--json] [--models conv4,resnet18] [--batch 128] [--threads 2] [--rounds 3]
 *                [--warmup N] [--steps N] [--variants fastest[,plain,fused]]
 *                [--python /usr/bin/python3] [--pytorch-script PATH | $CONTSSL_PYTORCH_BENCH] [--no-pytorch]
 *                [--rss-model conv4] [--rss-steps 1000] [--no-rss] [--peak-size 2048]
 * </pre>
 * Models: {@code conv4} = 28 px, 1 channel (Fashion-MNIST); {@code resnet18} = CIFAR stem, 32 px, 3 channels. The RSS
 * part runs on conv4 by default because 1,000 ResNet-18 steps take hours on 2 cores.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    /** One benchmarked model configuration. */
    record Case(String name, SimSiamSpec spec, int warmup, int steps) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        boolean json = opt.containsKey("json");
        int batch = intOpt(opt, "batch", 128);
        int threads = intOpt(opt, "threads", 2);
        int rounds = intOpt(opt, "rounds", 3);
        Engines.Info info = Engines.configure(threads, 1);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode out = mapper.createObjectNode();
        out.put("benchmark", "train");
        out.put("engine", info.engine() + " " + info.version());
        out.put("intra_op_threads", info.intraOpThreads());
        out.put("inter_op_threads", info.interOpThreads());
        out.put("native_allocator", info.allocator());
        String arenas = System.getenv("MALLOC_ARENA_MAX");
        out.put("malloc_arena_max_env", arenas == null ? "unset" : arenas);
        out.put("cpu", ProcessMemory.cpuModel());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("load_average_start", loadAverage());
        out.put("batch", batch);
        out.put("rounds", rounds);
        log(json, "engine %s, intra-op threads %d, inter-op threads %d, %s, %s, load %s", out.get("engine").asText(),
                info.intraOpThreads(), info.interOpThreads(), info.allocator(), out.get("cpu").asText(),
                out.get("load_average_start").asText());

        if (arenas == null) {
            log(json, "note: MALLOC_ARENA_MAX is unset: libtorch's allocations then come from glibc per-thread heaps "
                    + "that cannot keep blocks above 64 MiB, and ResNet-18 steps page-fault ~1 GB each; "
                    + "MALLOC_ARENA_MAX=1 (set by run.sh) removes that");
        }
        List<String> variants = List.of(opt.getOrDefault("variants", "fastest").split(","));
        PytorchReference torch = null;
        if (!opt.containsKey("no-pytorch")) {
            String[] why = new String[1];
            torch = PytorchReference.locate(opt.getOrDefault("python", PytorchReference.DEFAULT_PYTHON),
                    opt.get("pytorch-script"), why);
            if (torch == null) {
                out.put("pytorch_skipped", why[0]);
                log(json, "PyTorch reference skipped: %s", why[0]);
            } else {
                out.put("pytorch_script", torch.script().toString());
            }
        }

        // first, in a fresh process: native memory is kept for reuse (NativeAllocator), so a later phase would
        // inherit the peak of the ResNet-18 runs
        if (!opt.containsKey("no-rss")) {
            String rssModel = opt.getOrDefault("rss-model", "conv4");
            SimSiamSpec spec = rssModel.equals("resnet18") ? SimSiamSpec.of("resnet18", 3, 32, true)
                    : SimSiamSpec.of("conv4", 1, 28, true);
            out.set("rss", rss(mapper, spec, batch, intOpt(opt, "rss-steps", 1000), json));
        }
        double matmul = matmulPeak(intOpt(opt, "peak-size", 2048));
        double conv = convPeak();
        double peak = Math.max(matmul, conv);
        out.put("matmul_peak_gflops", round(matmul, 1));
        out.put("conv_peak_gflops", round(conv, 1));
        log(json, "fp32 peaks on this engine (best of 4): matmul (MKL sgemm 2048^3) %.1f GFLOP/s, 3x3 conv "
                + "(oneDNN, 128x256x16x16 -> 256) %.1f GFLOP/s", matmul, conv);

        ArrayNode models = out.putArray("models");
        for (String name : opt.getOrDefault("models", "conv4,resnet18").split(",")) {
            Case c = switch (name) {
                case "conv4" -> new Case("conv4", SimSiamSpec.of("conv4", 1, 28, true),
                        intOpt(opt, "warmup", 3), intOpt(opt, "steps", 15));
                case "resnet18" -> new Case("resnet18", SimSiamSpec.of("resnet18", 3, 32, true),
                        intOpt(opt, "warmup", 2), intOpt(opt, "steps", 5));
                default -> throw new IllegalArgumentException("--models: " + name + " is not conv4 or resnet18");
            };
            models.add(benchModel(mapper, c, batch, threads, rounds, variants, torch, peak, json));
        }

        out.set("determinism", determinism(mapper, SimSiamSpec.of("conv4", 1, 28, true), batch, json));
        out.put("load_average_end", loadAverage());
        if (json) {
            System.out.println(mapper.writeValueAsString(out));
        }
    }

    private static ObjectNode benchModel(ObjectMapper mapper, Case c, int batch, int threads, int rounds,
                                         List<String> variants, PytorchReference torch, double peak, boolean json)
            throws IOException, InterruptedException {
        SimSiamSpec spec = c.spec();
        ObjectNode node = mapper.createObjectNode();
        node.put("model", c.name());
        node.put("input", spec.inChannels() + "x" + spec.insize() + "x" + spec.insize()
                + (spec.cifarStem() ? " (CIFAR stem)" : ""));
        node.put("batch", batch);
        Random r = new Random(1);
        float[] v1 = gaussian(r, batch * spec.imageFloats());
        float[] v2 = gaussian(r, batch * spec.imageFloats());
        Map<String, List<Double>> times = new LinkedHashMap<>();
        List<Double> torchImgPerS = new ArrayList<>();
        String torchVersion = null;
        long[] macs = null;
        for (int round = 1; round <= rounds; round++) {
            for (String v : variants) {
                TrainerOptions o = options(v);
                try (SimSiamTrainer t = SimSiamTrainer.create(spec,
                        OptimSpec.reference(0.05, LrSchedule.COS, c.warmup() + c.steps()), 0, o)) {
                    macs = t.forwardMacsPerImage();
                    for (int i = 0; i < c.warmup(); i++) {
                        t.step(v1, v2, batch);
                    }
                    List<Double> ts = times.computeIfAbsent(v, k -> new ArrayList<>());
                    for (int i = 0; i < c.steps(); i++) {
                        StepResult res = t.step(v1, v2, batch);
                        ts.add(res.totalMs() / 1000.0);
                    }
                    log(json, "%s round %d contssl[%s]: median so far %.3f s/step", c.name(), round, v, median(ts));
                }
            }
            if (torch != null) {
                JsonNode res = torch.run(c.name(), spec.insize(), spec.inChannels(), batch, c.warmup(), c.steps(),
                        threads);
                torchImgPerS.add(res.get("img_per_s").asDouble());
                torchVersion = res.get("torch").asText();
                log(json, "%s round %d pytorch %s: %.2f img/s (%d threads)", c.name(), round, torchVersion,
                        res.get("img_per_s").asDouble(), res.get("threads").asInt());
            }
        }
        // FLOPs of one step: per image and view, forward (M MACs) + weight gradient (M) + input gradient (M minus the
        // first conv, whose input needs none), 2 FLOPs per MAC; batch norm, ReLU and the optimizer are not counted
        long total = macs[0] + macs[1];
        double flopsPerStep = 2.0 * batch * 2.0 * (3.0 * total - macs[2]);
        node.put("gflop_per_step", round(flopsPerStep / 1e9, 2));
        Double torchMedian = torchImgPerS.isEmpty() ? null : median(torchImgPerS);
        if (torchMedian != null) {
            ObjectNode tn = node.putObject("pytorch");
            tn.put("torch", torchVersion);
            tn.put("img_per_s", round(torchMedian, 2));
            ArrayNode runs = tn.putArray("img_per_s_per_round");
            torchImgPerS.forEach(x -> runs.add(round(x, 2)));
        }
        ArrayNode vs = node.putArray("contssl");
        for (Map.Entry<String, List<Double>> e : times.entrySet()) {
            double med = median(e.getValue());
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
            log(json, "%s contssl[%s]: %.2f img/s (median %.3f s/step), %.1f GFLOP/s = %.0f%% of peak%s",
                    c.name(), e.getKey(), batch / med, med, gflops, 100 * gflops / peak,
                    torchMedian == null ? "" : String.format(", PyTorch %.2f img/s, ratio contssl/PyTorch %.2f",
                            torchMedian, batch / med / torchMedian));
        }
        return node;
    }

    private static ObjectNode rss(ObjectMapper mapper, SimSiamSpec spec, int batch, int steps, boolean json) {
        ObjectNode node = mapper.createObjectNode();
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
                    double rss = ProcessMemory.rssMb();
                    double heap = ProcessMemory.heapCommittedMb();
                    log(json, "RSS after %d %s steps: %.1f MiB (Java heap committed %.1f MiB)", i, spec.backbone(),
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
                        log(json, "RSS ratio %d/%d steps: %.4f (target <= 1.05)", steps, first, rss / rssFirst);
                    }
                }
            }
        }
        return node;
    }

    private static ObjectNode determinism(ObjectMapper mapper, SimSiamSpec spec, int batch, boolean json) {
        ObjectNode node = mapper.createObjectNode();
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
        log(json, "determinism: two %s trainers, same seed and inputs, 3 steps: %s", spec.backbone(),
                sha[0].equals(sha[1]) ? "bitwise identical" : "DIFFERENT");
        return node;
    }

    /** Best GFLOP/s of an n×n fp32 matmul on the engine (MKL sgemm). */
    static double matmulPeak(int n) {
        return Engines.call(() -> {
            try (NDManager m = Engines.newManager()) {
                NDArray a = m.randomNormal(new Shape(n, n));
                NDArray b = m.randomNormal(new Shape(n, n));
                return bestGflops(m, a, 7, 2.0 * n * n * n, x -> x.matMul(b));
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
                return bestGflops(m, x, 6, 2.0 * 128 * 256 * 16 * 16 * 256 * 9,
                        xi -> org.contssl.model.nn.Ops.conv2d(xi, w, 1, 1));
            }
        });
    }

    /**
     * Runs {@code op} {@code runs} times on a copy of {@code input} attached to a sub-manager (so each result is freed
     * with it), reading one element to force completion; the first two runs are warm-up. Best of the rest.
     */
    private static double bestGflops(NDManager m, NDArray input, int runs, double flops,
                                     java.util.function.UnaryOperator<NDArray> op) {
        List<Double> gflops = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (NDManager sub = m.newSubManager()) {
                NDArray in = input.duplicate();
                in.attach(sub);
                long t0 = System.nanoTime();
                NDArray out = op.apply(in);
                out.getFloat(new long[out.getShape().dimension()]);
                double s = (System.nanoTime() - t0) / 1e9;
                if (i >= 2) {
                    gflops.add(flops / s / 1e9);
                }
            }
        }
        return Collections.max(gflops);
    }

    static TrainerOptions options(String variant) {
        return switch (variant) {
            case "fastest" -> TrainerOptions.fastest();
            case "plain" -> TrainerOptions.plain();
            case "fused" -> TrainerOptions.fused();
            default -> throw new IllegalArgumentException("--variants: " + variant + " is not fastest, plain or fused");
        };
    }

    private static String loadAverage() {
        try {
            String s = Files.readString(Paths.get("/proc/loadavg")).trim();
            String[] p = s.split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : 0.5 * (s.get(n / 2 - 1) + s.get(n / 2));
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static void log(boolean json, String fmt, Object... args) {
        String line = String.format(fmt, args);
        if (json) {
            System.err.println(line);
        } else {
            System.out.println(line);
        }
    }

    private static int intOpt(Map<String, String> opt, String key, int def) {
        String v = opt.get(key);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, got " + v);
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + ": options are --name value");
            }
            String key = a.substring(2);
            if (key.equals("json") || key.equals("no-pytorch") || key.equals("no-rss")) {
                out.put(key, "true");
            } else if (i + 1 < args.length) {
                out.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
        }
        return out;
    }
}
