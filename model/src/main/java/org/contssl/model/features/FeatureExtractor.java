package org.contssl.model.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.contssl.model.Engines;
import org.contssl.model.ModelState;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.nn.Ctx;
import org.contssl.model.nn.Param;
import org.contssl.model.nn.SimSiamNet;
import org.contssl.model.nn.Tensors;

/**
 * Frozen features for the probes: the backbone in eval mode (BN running statistics), global-average-pooled and
 * L2-normalised, as the reference's linear-probe protocol. Built from a saved state or, for the "random-init" floor,
 * from a seed (the same initial backbone {@code SimSiamTrainer.create(spec, optim, seed)} starts from).
 *
 * <p>Not thread-safe.
 */
public final class FeatureExtractor implements AutoCloseable {
    /** Images per forward pass: bounds activation memory for large inputs. */
    public static final int DEFAULT_BATCH = 256;

    private final SimSiamSpec spec;
    private final NDManager root;
    private final SimSiamNet net;
    private final int batchSize;
    private ByteBuffer staging;
    private int stagingFloats;

    private FeatureExtractor(SimSiamSpec spec, long seed, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("feature batch size must be >= 1, got " + batchSize);
        }
        this.spec = spec;
        this.batchSize = batchSize;
        this.root = Engines.newManager();
        try {
            this.net = SimSiamNet.create(root, spec.backbone(), spec.inChannels(), spec.cifarStem(), spec.dim(),
                    spec.predDim(), seed, false);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** The randomly initialised backbone of {@code spec} for {@code seed}. */
    public static FeatureExtractor randomInit(SimSiamSpec spec, long seed) {
        return Engines.call(() -> new FeatureExtractor(spec, seed, DEFAULT_BATCH));
    }

    /** The backbone of a state written by {@code SimSiamTrainer.saveState} or {@code writeParameters}. */
    public static FeatureExtractor fromState(InputStream in, String source) throws IOException {
        ModelState state = ModelState.read(in, source);
        return fromState(state, state.spec().insize(), source);
    }

    /**
     * As {@link #fromState(InputStream, String)}, for images of {@code insize} pixels (the ResNets pool globally, so
     * they accept other sizes than the training size).
     */
    public static FeatureExtractor fromState(ModelState state, int insize, String source) throws IOException {
        return Engines.callIo(() -> build(state, insize, source));
    }

    private static FeatureExtractor build(ModelState state, int insize, String source) throws IOException {
        SimSiamSpec s = state.spec();
        SimSiamSpec spec = SimSiamSpec.of(s.backbone(), s.inChannels(), insize, s.cifarStem());
        FeatureExtractor fx = new FeatureExtractor(spec, 0L, DEFAULT_BATCH);
        try {
            for (Param p : fx.net.params().all()) {
                ModelState.Tensor t = state.tensors().get(p.name());
                if (t == null) {
                    throw new IOException(source + " lacks backbone tensor " + p.name()
                            + ": the file belongs to another model");
                }
                if (!Arrays.equals(t.shape(), p.shape())) {
                    throw new IOException(source + ": backbone tensor " + p.name() + " has shape "
                            + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(p.shape())
                            + ": the file belongs to another model");
                }
                fx.net.params().set(p.name(), t.data());
            }
            return fx;
        } catch (IOException | RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    public SimSiamSpec spec() {
        return spec;
    }

    public int featureDim() {
        return net.featureDim();
    }

    /**
     * Features of {@code n} images.
     *
     * @param images NCHW, normalised like the training views ({@code n · C · H · W} floats)
     * @return {@code n} rows of {@link #featureDim()} floats, each of L2 norm 1 (or all zeros)
     */
    public float[][] extract(float[] images, int n) {
        return Engines.call(() -> doExtract(images, n));
    }

    private float[][] doExtract(float[] images, int n) {
        int per = spec.imageFloats();
        if (n < 0 || images.length != (long) n * per) {
            throw new IllegalArgumentException("images must hold n·C·H·W = " + n + "·" + spec.inChannels() + "·"
                    + spec.insize() + "·" + spec.insize() + " = " + ((long) n * per) + " floats, got " + images.length);
        }
        float[][] out = new float[n][];
        int d = net.featureDim();
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            if (staging == null || stagingFloats < b * per) {
                staging = Tensors.alignedBuffer(b * per);
                stagingFloats = b * per;
            }
            Tensors.stage(staging, 0, images, start * per, b * per);
            float[] h;
            try (NDManager sub = root.newSubManager()) {
                NDArray x = Tensors.view(sub, staging, b, spec.inChannels(), spec.insize(), spec.insize());
                h = net.backbone(Ctx.eval(sub), x).toFloatArray();
            }
            for (int i = 0; i < b; i++) {
                out[start + i] = normalize(h, i * d, d);
            }
        }
        return out;
    }

    private static float[] normalize(float[] h, int off, int d) {
        double n = 0;
        for (int j = off; j < off + d; j++) {
            n += (double) h[j] * h[j];
        }
        double inv = 1.0 / Math.max(Math.sqrt(n), 1e-12);
        float[] row = new float[d];
        for (int j = 0; j < d; j++) {
            row[j] = (float) (h[off + j] * inv);
        }
        return row;
    }

    @Override
    public void close() {
        Engines.call(() -> {
            net.close();
            root.close();
            return null;
        });
    }
}
