package org.contssl.jobs.cli;

import java.util.concurrent.Callable;
import org.contssl.steps.config.Presets;
import picocli.CommandLine.Command;

/** {@code presets}: every preset shipped in the jar with its one-line description (docs/presets.md has more). */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = "List the shipped presets (use with run/plan --preset NAME); docs/presets.md describes each.")
public class PresetsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        var names = Presets.names();
        int width = names.stream().mapToInt(String::length).max().orElse(4);
        for (String name : names) {
            System.out.printf("%-" + width + "s  %s%n", name, Presets.description(name));
        }
        return ExitCodes.OK;
    }
}
