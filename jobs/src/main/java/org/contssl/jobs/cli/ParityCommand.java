package org.contssl.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.contssl.model.parity.ParityCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "parity", mixinStandardHelpOptions = true,
        description = {"Numerical parity of the SimSiam step with PyTorch (Debian's python3-torch via /usr/bin/python3):",
                "same initial weights and batch, two SGD steps under a cosine LR, for conv4 and resnet18;",
                "compares the loss (1e-5 relative), every gradient and every updated weight (1e-4 relative)."},
        footer = {"", ExitCodes.HELP})
public class ParityCommand implements Callable<Integer> {

    @Unmatched
    List<String> rest = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        // ParityCheck exits the JVM with its own code (0 = within tolerance)
        ParityCheck.main(rest.toArray(String[]::new));
        return ExitCodes.OK;
    }
}
