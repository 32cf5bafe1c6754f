package org.contssl.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.contssl.lists.ListShow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lists", mixinStandardHelpOptions = true, description = "Inspect memmap file lists.",
        subcommands = ListsCommand.Show.class)
public class ListsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Metadata, diagnostics and the first records (index, path, label) of a memmap list.",
                    "Reads contssl lists (JSON sidecar) and the reference's raw S120 lists (give --record-width"
                            + " and/or --count, or let them be inferred from the file size)."},
            footer = {"", ExitCodes.HELP})
    static class Show implements Callable<Integer> {

        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--head", defaultValue = "10", description = "Records to print (default ${DEFAULT-VALUE}).")
        int head;

        @Option(names = "--json")
        boolean json;

        @Option(names = "--record-width", description = "Record width of a sidecar-less list (reference: 120).")
        Integer recordWidth;

        @Option(names = "--count", description = "Record count of a sidecar-less list.")
        Long count;

        @Option(names = "--base-dir", description = "Base directory the records are relative to.")
        Path baseDir;

        @Option(names = "--labels", description = "Labels file (little-endian int32) of a sidecar-less list.")
        Path labels;

        @Override
        public Integer call() {
            ListShow.Options options = ListShow.Options.defaults().withHead(head).withJson(json)
                    .withRecordWidth(recordWidth).withCount(count).withBaseDir(baseDir).withLabelsFile(labels);
            System.out.print(ListShow.render(file, options));
            return ExitCodes.OK;
        }
    }
}
