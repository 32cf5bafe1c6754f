package org.contssl.jobs.cli;

import java.util.concurrent.Callable;
import org.contssl.jobs.launch.PipelineLauncher;
import org.contssl.jobs.sweep.SweepLauncher;
import org.contssl.jobs.sweep.SweepSpec;
import org.contssl.steps.workdir.Workdir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restart", mixinStandardHelpOptions = true,
        description = {"Resume the last FAILED or crashed run of a workdir from the failed step; given a sweep's"
                + " root, resume the sweep's unfinished cells (as `sweep --root ROOT` does).",
                "After a kill -9 the run is left STARTED; restart recovers it (the workdir lock proves no live"
                        + " process owns it) and pretraining continues from its last valid checkpoint."},
        footer = {"", ExitCodes.HELP})
public class RestartCommand implements Callable<Integer> {

    @Option(names = "--workdir", required = true)
    String workdir;

    @Option(names = "--strict", description = "Refuse to start when the free disk space is less than the plan's"
            + " estimate (default: warn and run).")
    boolean strict;

    @Override
    public Integer call() {
        Workdir dir = Workdir.of(workdir);
        if (SweepSpec.exists(dir.root())) {
            // a sweep's root: resuming it is the sweep's own resume (unfinished cells only, then the comparison)
            return Console.report(SweepLauncher.resume(dir.root()));
        }
        Logs.attach(dir);
        return Console.report(PipelineLauncher.restart(dir, strict));
    }
}
