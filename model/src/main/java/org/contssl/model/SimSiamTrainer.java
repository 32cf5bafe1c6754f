package org.contssl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.contssl.model.nn.Ctx;
import org.contssl.model.nn.Group;
import org.contssl.model.nn.Param;
import org.contssl.model.nn.SimSiamNet;
import org.contssl.model.nn.Tensors;
import org.contssl.model.optim.LrSchedule;
import org.contssl.model.optim.PytorchSgd;

/**
 * SimSiam training on DJL/libtorch with plain-array inputs and outputs (docs/reference-system.md §5–6).
 *
 * <p>One {@link #step} = set the LRs for the next iteration, forward both views (per-view batch-norm statistics),
 * symmetric negative cosine with stop-gradient, backward, PyTorch-semantics SGD. Every tensor created by a step lives
 * in a step-scoped manager that is closed before the step returns, so native memory stays flat.
 *
 * <p>Determinism: initial weights come from Java RNGs seeded by {@code initSeed}; given the same inputs and the same
 * intra-op thread count every step is bitwise reproducible, and {@link #saveState}/{@link #loadState} round-trip the
 * complete training state (parameters, BN running statistics, momentum buffers, step counter) bit for bit.
 *
 * <p>Not thread-safe: one trainer is driven by one thread.
 */
public final class SimSiamTrainer implements AutoCloseable {
    private final SimSiamSpec spec;
    private final OptimSpec optim;
    private final TrainerOptions options;
    private final NDManager root;
    private final SimSiamNet net;
    private final PytorchSgd sgd;
    private long step;
    private ByteBuffer staging;
    private int stagingFloats;
    private Map<String, float[]> lastGradients = Map.of();

    private SimSiamTrainer(SimSiamSpec spec, OptimSpec optim, TrainerOptions options, long initSeed) {
        this.spec = spec;
        this.optim = optim;
        this.options = options;
        this.root = Engines.newManager();
        try {
            this.net = SimSiamNet.create(root, spec.backbone(), spec.inChannels(), spec.cifarStem(), spec.dim(),
                    spec.predDim(), initSeed, true);
            this.sgd = new PytorchSgd(root, optim.momentum(), optim.weightDecay());
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** A freshly initialised trainer with the fastest execution options. */
    public static SimSiamTrainer create(SimSiamSpec spec, OptimSpec optim, long initSeed) {
        return create(spec, optim, initSeed, TrainerOptions.fastest());
    }

    public static SimSiamTrainer create(SimSiamSpec spec, OptimSpec optim, long initSeed, TrainerOptions options) {
        return Engines.call(() -> new SimSiamTrainer(spec, optim, options, initSeed));
    }

    /**
     * One SimSiam step on a batch of two augmented views.
     *
     * @param view1 {@code batch} images, NCHW, already normalised ({@code batch · C · H · W} floats)
     * @param view2 the second views of the same images, same layout
     * @param batch number of images (≥ 2: batch norm needs more than one value per channel)
     */
    public StepResult step(float[] view1, float[] view2, int batch) {
        return Engines.call(() -> doStep(view1, view2, batch));
    }

    private StepResult doStep(float[] view1, float[] view2, int batch) {
        int per = spec.imageFloats();
        if (batch < 2) {
            throw new IllegalArgumentException("batch must be >= 2 for batch-norm statistics, got " + batch);
        }
        if (view1.length != (long) batch * per || view2.length != (long) batch * per) {
            throw new IllegalArgumentException("each view must hold batch·C·H·W = " + batch + "·" + spec.inChannels()
                    + "·" + spec.insize() + "·" + spec.insize() + " = " + ((long) batch * per) + " floats, got "
                    + view1.length + " and " + view2.length);
        }
        long t = step + 1;
        if (optim.schedule() == LrSchedule.COS && t > optim.totalSteps()) {
            throw new IllegalStateException("step " + t + " is past optim total steps " + optim.totalSteps()
                    + " (the cosine schedule ended at 0): create the trainer with the right total");
        }
        double lrEnc = optim.encoderLr(t);
        double lrPred = optim.predictorLr(t);
        long t0 = System.nanoTime();
        long tFwd;
        long tBwd;
        long tUpd;
        float loss;
        float[] perSample;
        float[] z1;
        float[] z2;
        Map<String, float[]> grads = options.keepGradients() ? new LinkedHashMap<>() : Map.of();
        try (NDManager sub = root.newSubManager()) {
            Ctx ctx = Ctx.training(sub, net.params().all(), options.fuseViews() ? 2 : 1);
            NDArray x = stageInput(sub, view1, view2, batch);
            NDArray z1a;
            NDArray z2a;
            NDArray perSampleA;
            NDArray lossA;
            try (GradientCollector gc = Engines.get().newGradientCollector()) {
                NDArray p1;
                NDArray p2;
                if (options.fuseViews()) {
                    // rows interleave the views (2i = view 1, 2i+1 = view 2 of image i)
                    long d = spec.dim();
                    NDArray z = net.project(ctx, net.backbone(ctx, x)).reshape(batch, 2, d);
                    NDArray p = net.predict(ctx, z.reshape(2L * batch, d)).reshape(batch, 2, d);
                    z1a = z.get(":, 0, :");
                    z2a = z.get(":, 1, :");
                    p1 = p.get(":, 0, :");
                    p2 = p.get(":, 1, :");
                } else {
                    NDList xs = x.split(2, 0);
                    // reference order: z1, p1, then z2, p2 (running statistics see view 1 first)
                    z1a = net.project(ctx, net.backbone(ctx, xs.get(0)));
                    p1 = net.predict(ctx, z1a);
                    z2a = net.project(ctx, net.backbone(ctx, xs.get(1)));
                    p2 = net.predict(ctx, z2a);
                }
                NDArray z1d = z1a.stopGradient();
                NDArray z2d = z2a.stopGradient();
                perSampleA = cosine(p1, z2d).add(cosine(p2, z1d)).mul(-0.5f);
                lossA = perSampleA.mean();
                tFwd = System.nanoTime();
                gc.backward(lossA);
            }
            tBwd = System.nanoTime();
            for (Param p : net.params().trainable()) {
                NDArray leaf = ctx.leaf(p);
                NDArray g = leaf.getGradient();
                if (g == null) {
                    continue; // like torch.optim.SGD: parameters without a gradient are skipped
                }
                if (options.keepGradients()) {
                    grads.put(p.name(), g.toFloatArray());
                }
                double lr = p.group() == Group.PREDICTOR ? lrPred : lrEnc;
                sgd.update(p.name(), leaf, g, (float) lr);
            }
            tUpd = System.nanoTime();
            loss = lossA.getFloat();
            perSample = perSampleA.toFloatArray();
            z1 = z1a.toFloatArray();
            z2 = z2a.toFloatArray();
        }
        step = t;
        lastGradients = grads;
        int d = spec.dim();
        float[] sim = new float[batch];
        float[][] feature = new float[batch][];
        for (int i = 0; i < batch; i++) {
            sim[i] = RowStats.cosine(z1, z2, i * d, d);
            feature[i] = RowStats.normalizedSum(z1, z2, i * d, d);
        }
        double zStd = 0.5 * (RowStats.meanStdOfNormalized(z1, batch, d) + RowStats.meanStdOfNormalized(z2, batch, d));
        long tEnd = System.nanoTime();
        return new StepResult(t, loss, perSample, sim, feature, lrEnc, lrPred, zStd,
                ms(tFwd - t0), ms(tBwd - tFwd), ms(tUpd - tBwd), ms(tEnd - t0));
    }

    /** cos(a_i, b_i) = a·b / max(‖a‖‖b‖, 1e-8) per row, as torch 1.13's F.cosine_similarity. */
    private static NDArray cosine(NDArray a, NDArray b) {
        int[] rows = {1};
        NDArray dot = a.mul(b).sum(rows);
        NDArray na = a.mul(a).sum(rows);
        NDArray nb = b.mul(b).sum(rows);
        return dot.div(na.mul(nb).maximum(1e-16f).sqrt());
    }

    /**
     * The 2b input images (NCHW) as one tensor over reused staging memory: interleaved (image i's views at rows 2i,
     * 2i+1) for fused views, else all of view 1 then all of view 2.
     */
    private NDArray stageInput(NDManager sub, float[] v1, float[] v2, int b) {
        int per = spec.imageFloats();
        int n = b * per;
        if (staging == null || stagingFloats < 2 * n) {
            staging = Tensors.alignedBuffer(2 * n);
            stagingFloats = 2 * n;
        }
        int c = spec.inChannels();
        int s = spec.insize();
        if (options.fuseViews()) {
            for (int i = 0; i < b; i++) {
                Tensors.stage(staging, 2 * i * per, v1, i * per, per);
                Tensors.stage(staging, (2 * i + 1) * per, v2, i * per, per);
            }
        } else {
            Tensors.stage(staging, 0, v1, 0, n);
            Tensors.stage(staging, n, v2, 0, n);
        }
        return Tensors.view(sub, staging, 2L * b, c, s, s);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Number of steps taken (the LR of the next step is that of step {@code stepsTaken() + 1}). */
    public long stepsTaken() {
        return step;
    }

    public SimSiamSpec spec() {
        return spec;
    }

    public OptimSpec optim() {
        return optim;
    }

    public TrainerOptions options() {
        return options;
    }

    /** Trainable scalars (frozen projector bias excluded). */
    public long trainableParameterCount() {
        return net.params().trainableCount();
    }

    /** All parameter scalars (trainable + frozen), BN running statistics excluded. */
    public long parameterCount() {
        return net.params().parameterCount();
    }

    /**
     * Forward multiply-accumulates per image and view: {backbone, projector + predictor, first conv}. A training
     * step costs about 2 views × (3 × total − first conv) MACs per image (no input gradient for the first layer).
     */
    public long[] forwardMacsPerImage() {
        return net.forwardMacs(new long[] {spec.inChannels(), spec.insize(), spec.insize()});
    }

    /** Gradients of the last step by parameter name (only with {@link TrainerOptions#keepGradients()}). */
    public Map<String, float[]> lastGradients() {
        return lastGradients;
    }

    /** The complete training state as plain arrays. */
    public ModelState snapshot(boolean withOptimizer) {
        return Engines.call(() -> doSnapshot(withOptimizer));
    }

    private ModelState doSnapshot(boolean withOptimizer) {
        Map<String, ModelState.Tensor> tensors = new LinkedHashMap<>();
        for (Param p : net.params().all()) {
            tensors.put(p.name(), new ModelState.Tensor(p.kind(), p.shape(), p.value().toFloatArray()));
        }
        ModelState.Optimizer opt = null;
        if (withOptimizer) {
            Map<String, float[]> momentum = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : sgd.buffers().entrySet()) {
                momentum.put(e.getKey(), e.getValue().toFloatArray());
            }
            opt = new ModelState.Optimizer(step, optim, momentum);
        }
        return new ModelState(spec, tensors, opt);
    }

    /** Parameters, BN running statistics, momentum buffers and the step counter. */
    public void saveState(OutputStream out) throws IOException {
        snapshot(true).write(out);
    }

    /** Parameters and BN running statistics only (what {@link #parametersSha256()} hashes). */
    public void writeParameters(OutputStream out) throws IOException {
        snapshot(false).write(out);
    }

    /** SHA-256 (hex) of {@link #writeParameters}: equal hashes ⇔ bitwise-equal models. */
    public String parametersSha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            writeParameters(bytes);
            return HexFormat.of().formatHex(md.digest(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Restores a state written by {@link #saveState}: continues bitwise identically to the trainer that saved it. */
    public void loadState(InputStream in) throws IOException {
        loadState(in, "model state");
    }

    /** As {@link #loadState(InputStream)}; {@code source} names the file in error messages. */
    public void loadState(InputStream in, String source) throws IOException {
        ModelState state = ModelState.read(in, source);
        if (state.optimizer() == null) {
            throw new IOException(source + " holds parameters only (no optimizer state): use loadPretrained for it");
        }
        Engines.callIo(() -> {
            applyState(state, source);
            return null;
        });
    }

    private void applyState(ModelState state, String source) throws IOException {
        applyTensors(state, source);
        sgd.reset();
        for (Map.Entry<String, float[]> e : state.optimizer().momentum().entrySet()) {
            if (!net.params().contains(e.getKey())) {
                throw new IOException(source + ": momentum buffer for unknown parameter " + e.getKey()
                        + ": the file belongs to another model");
            }
            Param p = net.params().get(e.getKey());
            if (e.getValue().length != p.size()) {
                throw new IOException(source + ": momentum buffer " + e.getKey() + " has " + e.getValue().length
                        + " values, the parameter has " + p.size() + ": the file belongs to another model");
            }
            sgd.setBuffer(e.getKey(), e.getValue(), p.shape());
        }
        step = state.optimizer().step();
    }

    /**
     * Loads encoder and predictor weights (and BN running statistics) from a saved state, as the reference's
     * {@code model.pretrained}; the optimizer starts fresh (no momentum, step counter 0).
     */
    public void loadPretrained(InputStream in) throws IOException {
        loadPretrained(in, "pretrained state");
    }

    public void loadPretrained(InputStream in, String source) throws IOException {
        loadPretrained(ModelState.read(in, source), source);
    }

    /** As {@link #loadPretrained(InputStream)} for weights already read (e.g. converted from a PyTorch file). */
    public void loadPretrained(ModelState state, String source) throws IOException {
        Engines.callIo(() -> {
            applyTensors(state, source);
            sgd.reset();
            step = 0;
            return null;
        });
    }

    private void applyTensors(ModelState state, String source) throws IOException {
        SimSiamSpec s = state.spec();
        if (!s.backbone().equals(spec.backbone()) || s.inChannels() != spec.inChannels()
                || s.cifarStem() != spec.cifarStem()) {
            throw new IOException(source + " holds a " + describe(s) + " model but this trainer is "
                    + describe(spec) + ": set model.backbone/data channels to match or use another file");
        }
        for (Param p : net.params().all()) {
            ModelState.Tensor t = state.tensors().get(p.name());
            if (t == null) {
                throw new IOException(source + " lacks tensor " + p.name() + ": the file belongs to another model");
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IOException(source + ": tensor " + p.name() + " has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(p.shape()) + ": the file belongs to another model");
            }
        }
        if (state.tensors().size() != net.params().all().size()) {
            throw new IOException(source + " holds " + state.tensors().size() + " tensors, the model has "
                    + net.params().all().size() + ": the file belongs to another model");
        }
        for (Param p : net.params().all()) {
            net.params().set(p.name(), state.tensors().get(p.name()).data());
        }
    }

    static String describe(SimSiamSpec s) {
        return s.backbone() + " (" + s.inChannels() + " channels" + (s.cifarStem() ? ", CIFAR stem" : "") + ")";
    }

    @Override
    public void close() {
        Engines.call(() -> {
            sgd.close();
            net.close();
            root.close();
            return null;
        });
    }
}
