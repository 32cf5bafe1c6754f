package org.contssl.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.contssl.tools.parity.ParityCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parity}: the numerical parity check of the SimSiam step against PyTorch (tools module). */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = {"Numerical parity of the SimSiam step with PyTorch (Debian's python3-torch via /usr/bin/python3):",
                "same initial weights and batch, two SGD steps under a cosine LR, for conv4 and resnet18;",
                "compares the loss (1e-5 relative), every gradient and every updated weight (1e-4 relative)."},
        footer = {"", "Exit codes: 0 every model within tolerance, 1 a tolerance exceeded, 2 bad option or Python/torch"
                + " missing."})
public class ParityCommand implements Callable<Integer> {
    private static final ParityCheck.Options D = ParityCheck.Options.defaults();

    @Option(names = "--arch", split = ",", description = "conv4, resnet18, resnet50 (default ${DEFAULT-VALUE}).")
    List<String> archs = new ArrayList<>(D.archs());

    @Option(names = "--steps", description = "SGD steps compared (default ${DEFAULT-VALUE}).")
    int steps = D.steps();

    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch = D.batch();

    @Option(names = "--lr", description = "Base learning rate (default ${DEFAULT-VALUE}).")
    double lr = D.lr();

    @Option(names = "--threads", description = "Intra-op threads of both engines (default ${DEFAULT-VALUE}).")
    int threads = D.threads();

    @Option(names = "--options", description = "Trainer variant: fastest, plain, fused (default ${DEFAULT-VALUE}).")
    String variant = D.variant();

    @Option(names = "--python", description = "Python with torch and torchvision (default ${DEFAULT-VALUE}).")
    String python = D.python();

    @Option(names = "--script", description = "The PyTorch side (default: $CONTSSL_PARITY_SCRIPT, else the copy"
            + " bundled in the jar).")
    Path script;

    @Option(names = "--keep", description = "Keep the exchanged files here (one directory per model).")
    Path keep;

    @Option(names = "--json", description = "Print the report as JSON on stdout; the text report goes to stderr.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = System.out;
        try {
            ParityCheck.Result r = ParityCheck.run(new ParityCheck.Options(archs, steps, batch, lr, threads, variant,
                    python, script, keep), json ? System.err : stdout);
            if (json) {
                stdout.println(r.toJson());
            }
            return r.pass() ? ExitCodes.OK : 1;
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("parity: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
