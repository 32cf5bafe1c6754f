package org.contssl.tools.parity;

import org.contssl.tools.BundledScripts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.contssl.model.ModelState;
import org.contssl.model.OptimSpec;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.nn.Kind;

/**
 * The files the parity check exchanges with {@code simsiam_parity.py}: a {@code manifest.json} (model, optimiser,
 * per-step learning rates, tensor layout), the initial weights, contssl's state and momentum after every step and the
 * two input views as little-endian float32 ({@code *.bin}); the script answers with {@code torch.json} +
 * {@code torch.bin} (keyed float32 records).
 */
final class ParityExchange {
    private ParityExchange() {}

    static void writeExchange(ObjectMapper mapper, SimSiamSpec spec, OptimSpec optim, int batch, int threads,
                                      ModelState init, List<ModelState> states, float[] x1, float[] x2,
                                      List<double[]> lrs, Path dir)
            throws IOException {
        ObjectNode man = mapper.createObjectNode();
        man.put("arch", spec.backbone());
        man.put("channels", spec.inChannels());
        man.put("insize", spec.insize());
        man.put("cifar_stem", spec.cifarStem());
        man.put("feature_dim", spec.featureDim());
        man.put("dim", spec.dim());
        man.put("pred_dim", spec.predDim());
        man.put("batch", batch);
        man.put("threads", threads);
        man.put("lr", optim.lr());
        man.put("momentum", optim.momentum());
        man.put("weight_decay", optim.weightDecay());
        man.put("schedule", optim.schedule().key());
        man.put("total_steps", optim.totalSteps());
        ArrayNode st = man.putArray("steps");
        for (int i = 0; i < lrs.size(); i++) {
            ObjectNode s = st.addObject();
            s.put("step", i + 1);
            s.put("lr_encoder", lrs.get(i)[0]);
            s.put("lr_predictor", lrs.get(i)[1]);
        }
        ArrayNode tensors = man.putArray("tensors");
        long offset = 0;
        try (FileChannel ch = FileChannel.open(dir.resolve("init.bin"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Map.Entry<String, ModelState.Tensor> e : init.tensors().entrySet()) {
                float[] data = e.getValue().data();
                ObjectNode t = tensors.addObject();
                t.put("name", e.getKey());
                ArrayNode shape = t.putArray("shape");
                for (long d : e.getValue().shape()) {
                    shape.add(d);
                }
                t.put("offset", offset);
                t.put("count", data.length);
                writeLe(ch, data);
                offset += data.length;
            }
        }
        for (int i = 0; i < states.size(); i++) {
            try (FileChannel ch = FileChannel.open(dir.resolve("state" + (i + 1) + ".bin"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (String name : init.tensors().keySet()) {
                    writeLe(ch, states.get(i).tensors().get(name).data());
                }
            }
        }
        // momentum buffers in a fixed order (trainable tensors); every one exists after the first step
        ArrayNode momentum = man.putArray("momentum_buffers");
        long moff = 0;
        for (Map.Entry<String, ModelState.Tensor> e : init.tensors().entrySet()) {
            if (e.getValue().kind() == Kind.TRAINABLE) {
                ObjectNode t = momentum.addObject();
                t.put("name", e.getKey());
                t.put("offset", moff);
                t.put("count", e.getValue().data().length);
                moff += e.getValue().data().length;
            }
        }
        for (int i = 0; i < states.size(); i++) {
            Map<String, float[]> mom = states.get(i).optimizer().momentum();
            try (FileChannel ch = FileChannel.open(dir.resolve("momentum" + (i + 1) + ".bin"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (Map.Entry<String, ModelState.Tensor> e : init.tensors().entrySet()) {
                    if (e.getValue().kind() == Kind.TRAINABLE) {
                        float[] v = mom.get(e.getKey());
                        if (v == null) {
                            throw new IOException("no momentum buffer for " + e.getKey() + " after step " + (i + 1));
                        }
                        writeLe(ch, v);
                    }
                }
            }
        }
        writeFile(dir.resolve("x1.bin"), x1);
        writeFile(dir.resolve("x2.bin"), x2);
        mapper.writeValue(dir.resolve("manifest.json").toFile(), man);
    }

    private static void writeFile(Path p, float[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeLe(ch, data);
        }
    }

    private static void writeLe(FileChannel ch, float[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    static Map<String, float[]> readRecords(JsonNode meta, Path bin) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (JsonNode r : meta.get("records")) {
            int count = r.get("count").asInt();
            long offset = r.get("offset").asLong();
            float[] data = new float[count];
            all.position(Math.toIntExact(offset * Float.BYTES));
            all.asFloatBuffer().get(data);
            out.put(r.get("key").asText(), data);
        }
        return out;
    }

    static void runPython(String python, Path script, Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Paths.get(python))) {
            throw new IOException(python + " is not an executable Python: install python3-torch and "
                    + "python3-torchvision (apt-get install -y python3-torch python3-torchvision) or pass --python");
        }
        Process p = new ProcessBuilder(python, script.toString(), dir.toString())
                .redirectErrorStream(true)
                .start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            String text = new String(output, java.nio.charset.StandardCharsets.UTF_8).strip();
            String last = text.isEmpty() ? "(no output)" : text.substring(text.lastIndexOf('\n') + 1);
            throw new IOException(script + " failed (exit " + p.exitValue() + "): " + last);
        }
    }

    /** --script, else $CONTSSL_PARITY_SCRIPT, else the copy bundled in this jar (extracted to a temp file). */
    static Path resolveScript(Path explicit) throws IOException {
        String env = System.getenv("CONTSSL_PARITY_SCRIPT");
        Path p = explicit != null ? explicit : env != null ? Paths.get(env) : null;
        if (p != null) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("parity script " + p + " does not exist: pass --script <simsiam_parity.py>");
            }
            return p;
        }
        return BundledScripts.extract("simsiam_parity.py");
    }
}
