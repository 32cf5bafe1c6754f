package org.contssl.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.contssl.model.Engines;
import org.contssl.model.ModelState;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.nn.Ctx;
import org.contssl.model.nn.Param;
import org.contssl.model.nn.SimSiamNet;
import org.contssl.model.nn.Tensors;
import org.contssl.model.optim.LrSchedule;

/** Random SimSiam states, eval-mode forward passes and float files shared by the interop tests. */
final class InteropFixtures {

    private InteropFixtures() {
    }

    /** Every tensor random (conv/Linear scaled by fan-in, BN γ and running variance around 1), step {@code step}. */
    static ModelState randomState(SimSiamSpec spec, long seed, long step) {
        Random r = new Random(seed);
        Map<String, ModelState.Tensor> tensors = new LinkedHashMap<>();
        for (PretrainedWeights.Expected e : PretrainedWeights.layout(spec)) {
            int n = 1;
            for (long d : e.shape()) {
                n *= (int) d;
            }
            float[] v = new float[n];
            String name = e.name();
            double fanIn = e.shape().length > 1 ? (double) n / e.shape()[0] : 1;
            for (int i = 0; i < n; i++) {
                if (name.endsWith("running_var") || (e.shape().length == 1 && name.endsWith("weight"))) {
                    v[i] = (float) (0.5 + r.nextDouble());
                } else if (e.shape().length == 1) {
                    v[i] = (float) (0.1 * r.nextGaussian());
                } else {
                    v[i] = (float) (r.nextGaussian() / Math.sqrt(fanIn));
                }
            }
            tensors.put(name, new ModelState.Tensor(e.kind(), e.shape(), v));
        }
        OptimSpec optim = OptimSpec.reference(0.05, LrSchedule.COS, 100);
        return new ModelState(spec, tensors, new ModelState.Optimizer(step, optim, Map.of()));
    }

    static float[] gaussian(int count, long seed) {
        Random r = new Random(seed);
        float[] x = new float[count];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** Eval-mode (BN running statistics) backbone feature h, projector output z and predictor output p. */
    static float[][] outputs(ModelState state, float[] images, int n) {
        SimSiamSpec s = state.spec();
        return Engines.call(() -> {
            try (NDManager m = Engines.newManager();
                 SimSiamNet net = SimSiamNet.create(m, s.backbone(), s.inChannels(), s.cifarStem(), s.dim(),
                         s.predDim(), 0L, true)) {
                for (Param p : net.params().all()) {
                    net.params().set(p.name(), state.tensors().get(p.name()).data());
                }
                try (NDManager sub = m.newSubManager()) {
                    Ctx ctx = Ctx.eval(sub);
                    NDArray x = Tensors.copyOf(sub, images, n, s.inChannels(), s.insize(), s.insize());
                    NDArray h = net.backbone(ctx, x);
                    NDArray z = net.project(ctx, h);
                    NDArray p = net.predict(ctx, z);
                    return new float[][] {h.toFloatArray(), z.toFloatArray(), p.toFloatArray()};
                }
            }
        });
    }

    /** Splits a torch_interop.py output file into h, z and p. */
    static float[][] torchOutputs(Path file, SimSiamSpec spec, int n) throws IOException {
        float[] all = readFloats(file);
        int h = n * spec.featureDim();
        int z = n * spec.dim();
        float[][] out = {new float[h], new float[z], new float[z]};
        System.arraycopy(all, 0, out[0], 0, h);
        System.arraycopy(all, h, out[1], 0, z);
        System.arraycopy(all, h + z, out[2], 0, z);
        if (all.length != h + 2 * z) {
            throw new IOException(file + " has " + all.length + " floats, expected " + (h + 2 * z));
        }
        return out;
    }

    /** Largest |a − b| relative to max(1, max |b|). */
    static double maxRelDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double scale = 1;
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d / scale;
    }

    static void writeFloats(Path file, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(file, b.array());
    }

    static float[] readFloats(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    static void writeTorch(Path file, List<ExportTensor> tensors, Map<String, Object> extras) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            TorchZipWriter.write(out, tensors, extras);
        }
    }

    static void writeSafetensors(Path file, List<ExportTensor> tensors) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            SafetensorsWriter.write(out, tensors, Map.of("format", "pt"));
        }
    }
}
