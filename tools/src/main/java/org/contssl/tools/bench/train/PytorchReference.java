package org.contssl.tools.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.contssl.tools.BundledScripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch baseline of the SimSiam step ({@code tools/src/main/python/simsiam_bench.py}, bundled in the jar
 * next to the parity script whose model it reuses) with Debian's interpreter and returns its JSON result.
 */
final class PytorchReference {
    static final String DEFAULT_PYTHON = "/usr/bin/python3";
    static final String SCRIPT_ENV = "CONTSSL_PYTORCH_BENCH";

    private final String python;
    private final Path script;

    private PytorchReference(String python, Path script) {
        this.python = python;
        this.script = script;
    }

    /**
     * The reference runner, or null (with the reason in {@code why[0]}) when Python/torch or the script is missing.
     *
     * @param scriptOption --pytorch-script, else $CONTSSL_PYTORCH_BENCH, else the bundled {@code simsiam_bench.py}
     */
    static PytorchReference locate(String python, String scriptOption, String[] why) {
        Path script;
        String explicit = scriptOption != null ? scriptOption : System.getenv(SCRIPT_ENV);
        if (explicit != null) {
            script = Paths.get(explicit);
            if (!Files.isRegularFile(script)) {
                why[0] = "PyTorch script " + script + " does not exist (--pytorch-script / $" + SCRIPT_ENV + ")";
                return null;
            }
        } else {
            try {
                script = BundledScripts.extract("simsiam_bench.py", "simsiam_parity.py");
            } catch (IOException e) {
                why[0] = e.getMessage() + ": pass --pytorch-script";
                return null;
            }
        }
        if (!Files.isExecutable(Paths.get(python))) {
            why[0] = python + " not found (apt-get install -y python3-torch python3-torchvision)";
            return null;
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, torchvision").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                why[0] = python + " cannot import torch/torchvision (apt-get install -y python3-torch python3-torchvision)";
                return null;
            }
        } catch (IOException e) {
            why[0] = python + " could not be started: " + e.getMessage();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why[0] = "interrupted";
            return null;
        }
        return new PytorchReference(python, script);
    }

    Path script() {
        return script;
    }

    /** One run of the script; its JSON line (img_per_s, median_step_s, threads, torch version, ...). */
    JsonNode run(String arch, int size, int channels, int batch, int warmup, int steps, int threads)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--arch", arch, "--size",
                Integer.toString(size), "--channels", Integer.toString(channels), "--batch", Integer.toString(batch),
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps), "--threads",
                Integer.toString(threads), "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // the reference runs as users run it: without the malloc tuning this JVM may have been started with
        pb.environment().keySet().removeIf(k -> k.startsWith("MALLOC_") || k.equals("GLIBC_TUNABLES"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
            throw new IOException(script + " failed (exit " + p.exitValue() + "): " + lastLine(out));
        }
        return new ObjectMapper().readTree(lastLine(out));
    }

    private static String lastLine(String s) {
        String t = s.strip();
        return t.isEmpty() ? "(no output)" : t.substring(t.lastIndexOf('\n') + 1);
    }
}
