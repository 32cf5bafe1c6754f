package org.contssl.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.contssl.jobs.launch.PipelineLauncher;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.probe.sets.UserProbeSets;
import org.contssl.steps.workdir.Workdir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Launch the pipeline (lists -> subsample -> pretrain -> probe -> report) in a workdir.",
        footer = {"", "Overrides use the reference's Hydra key names, e.g.:",
                "  model.buffer_type=minred model.buff_siz=2048 model.num_updates=4 optim.lr=0.05",
                "", ExitCodes.HELP})
public class RunCommand implements Callable<Integer> {

    @Option(names = "--workdir", required = true, description = "Experiment directory (created if missing).")
    String workdir;

    @Mixin
    PresetOption preset = new PresetOption();

    @Parameters(paramLabel = "key=value", arity = "0..*", description = "Config overrides.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--strict", description = "Refuse to start when the free disk space is less than the plan's"
            + " estimate (default: warn and run).")
    boolean strict;

    @Override
    public Integer call() {
        ResolvedConfig config = ConfigLoader.load(preset.value(), overrides);
        // the user's probe lists are read in full now: a bad label or path found later would cost the whole run
        UserProbeSets.validate(config.config());
        ConfigLoader.checkDevice(config.config());
        ConfigLoader.checkPretrained(config.config());
        Workdir dir = Workdir.of(workdir);
        Logs.attach(dir);
        return Console.report(PipelineLauncher.run(dir, config, strict));
    }
}
