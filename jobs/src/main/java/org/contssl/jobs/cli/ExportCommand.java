package org.contssl.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.Sidecars;
import org.contssl.model.ModelState;
import org.contssl.model.SimSiamSpec;
import org.contssl.model.io.CheckpointFormatException;
import org.contssl.model.io.ExportTensor;
import org.contssl.model.io.ReferenceExport;
import org.contssl.model.io.ReferenceNames;
import org.contssl.model.io.SafetensorsWriter;
import org.contssl.model.io.TorchZipWriter;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.pretrain.TrainingCheckpoints;
import org.contssl.steps.workdir.Workdir;
import org.contssl.storage.checkpoint.Checkpoint;
import org.contssl.storage.checkpoint.CheckpointStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code export}: a pretraining checkpoint's encoder, projector and predictor (with BN running statistics) under the
 * reference's state_dict names, for PyTorch without contssl (docs/pytorch-interop.md): a {@code torch.load}-able
 * {@code .pth} shaped like the reference's checkpoint ({@code state_dict} with {@code module.} keys, {@code arch}),
 * a {@code .safetensors} with the plain module's keys, and a JSON manifest naming the model, the run and its data.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a checkpoint's encoder + projector + predictor for PyTorch (.pth and .safetensors with"
                + " the reference's state_dict names) and a JSON manifest.",
        footer = {"", "Without --out: <workdir>/export/<checkpoint>.pth, .safetensors and .json.",
                "With --out FILE: FILE (.safetensors -> safetensors, anything else -> torch.save zip) and FILE.json.",
                "", ExitCodes.HELP})
public class ExportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--workdir", required = true, description = "Experiment directory of a run.")
    String workdir;

    @Option(names = "--checkpoint", description = "Checkpoint name (default: the final one, else the last).")
    String checkpoint;

    @Option(names = "--out", description = "Output file (default: <workdir>/export/<checkpoint>.pth + .safetensors).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Workdir dir = Workdir.of(workdir);
        Path ckDir = dir.checkpointsDir();
        if (!Files.isDirectory(ckDir)) {
            throw new CheckpointFormatException("no checkpoints in " + dir.root() + " (nothing was trained there)");
        }
        CheckpointStore store = new CheckpointStore(ckDir);
        Checkpoint cp = pick(store);
        store.verify(cp.name()); // a damaged checkpoint must not become a clean-looking export
        ModelState state;
        try (InputStream in = cp.open(TrainingCheckpoints.MODEL)) {
            state = ModelState.read(in, cp.dir().resolve(TrainingCheckpoints.MODEL).toString());
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointFormatException(e.getMessage(), e);
        }
        String arch = state.spec().backbone();
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("arch", arch);
        extras.put("contssl_checkpoint", cp.name());
        extras.put("step", state.optimizer() == null ? 0L : state.optimizer().step());

        List<Path> written = new ArrayList<>();
        Path base = out != null ? out : dir.root().resolve("export").resolve(cp.name() + ".pth");
        boolean both = out == null;
        if (both || !isSafetensors(base)) {
            List<ExportTensor> t = ReferenceExport.tensors(state, ReferenceNames.DDP_PREFIX);
            AtomicFiles.write(base, o -> TorchZipWriter.write(o, t, extras));
            written.add(base);
        }
        if (both || isSafetensors(base)) {
            Path st = both ? sibling(base, ".safetensors") : base;
            List<ExportTensor> t = ReferenceExport.tensors(state, "");
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            extras.forEach((k, v) -> meta.put(k, String.valueOf(v)));
            AtomicFiles.write(st, o -> SafetensorsWriter.write(o, t, meta));
            written.add(st);
        }
        Path manifest = both ? sibling(base, ".json") : base.resolveSibling(base.getFileName() + ".json");
        AtomicFiles.write(manifest, JSON.writeValueAsBytes(manifest(dir, cp, state, written)));
        for (Path p : written) {
            System.out.println("wrote " + p);
        }
        System.out.println("wrote " + manifest);
        return ExitCodes.OK;
    }

    private Checkpoint pick(CheckpointStore store) throws IOException {
        if (checkpoint != null) {
            return store.get(checkpoint);
        }
        List<Checkpoint> all = store.list();
        if (all.isEmpty()) {
            throw new CheckpointFormatException("no checkpoints in " + store.dir() + " (nothing was trained there)");
        }
        return all.get(all.size() - 1); // progress order, checkpoint_final last
    }

    private Map<String, Object> manifest(Workdir dir, Checkpoint cp, ModelState state, List<Path> files)
            throws IOException {
        SimSiamSpec s = state.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "contssl-export-1");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("backbone", s.backbone());
        model.put("in_channels", s.inChannels());
        model.put("insize", s.insize());
        model.put("cifar_stem", s.cifarStem());
        model.put("feature_dim", s.featureDim());
        model.put("dim", s.dim());
        model.put("pred_dim", s.predDim());
        model.put("names", "reference state_dict: encoder.* backbone (conv4: encoder.features.*), encoder.fc.* "
                + "projector, predictor.*; .pth keys carry the DistributedDataParallel prefix module.");
        m.put("model", model);
        Map<String, Object> ck = new LinkedHashMap<>();
        ck.put("name", cp.name());
        ck.putAll(cp.metadata()); // step, stream position, parameter hash (as the checkpoint's manifest has them)
        ck.put("progress", cp.progress());
        ck.put("created", cp.created());
        m.put("checkpoint", ck);
        m.put("workdir", dir.root().toString());
        if (Files.exists(dir.resolvedConfig())) {
            m.put("config_hash", ConfigLoader.read(dir.resolvedConfig()).hash());
        }
        m.put("data", lists(dir.listsDir()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path f : files) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", f.getFileName().toString());
            e.put("bytes", Files.size(f));
            e.put("sha256", sha256(f));
            out.add(e);
        }
        m.put("files", out);
        return m;
    }

    /** The data fingerprint: every list of the run with its role, size and content hash (from its sidecar). */
    private static Map<String, Object> lists(Path listsDir) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!Files.isDirectory(listsDir)) {
            return out;
        }
        List<Path> sidecars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(listsDir)) {
            ds.forEach(p -> {
                // a sidecar sits next to its list (<list>.json); other JSON there (the stream plan) is not one
                String n = p.getFileName().toString();
                if (Sidecars.isSidecar(p) && Files.isRegularFile(p.resolveSibling(
                        n.substring(0, n.length() - Sidecars.SUFFIX.length())))) {
                    sidecars.add(p);
                }
            });
        }
        sidecars.sort(null);
        for (Path p : sidecars) {
            ListMetadata meta = Sidecars.read(p);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("role", meta.role());
            e.put("count", meta.count());
            e.put("sha256", meta.sha256());
            String name = p.getFileName().toString();
            out.put(name.substring(0, name.length() - Sidecars.SUFFIX.length()), e);
        }
        return out;
    }

    private static boolean isSafetensors(Path p) {
        return p.getFileName().toString().endsWith(".safetensors");
    }

    private static Path sibling(Path pth, String ext) {
        String n = pth.getFileName().toString();
        return pth.resolveSibling(n.substring(0, n.length() - ".pth".length()) + ext);
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
