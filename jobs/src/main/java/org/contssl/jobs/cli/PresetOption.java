package org.contssl.jobs.cli;

import java.util.Iterator;
import org.contssl.steps.config.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * The {@code --preset} option of {@code run} and {@code demo}. Its help lists the presets shipped in the jar, found
 * at start-up ({@link ConfigLoader#presetNames()}), so a new preset file shows up without touching the CLI.
 */
public final class PresetOption {

    @Option(names = "--preset", paramLabel = "NAME|FILE.yaml", completionCandidates = Names.class,
            description = "Preset: one of ${COMPLETION-CANDIDATES}, or a .yaml file; default: "
                    + ConfigLoader.DEFAULT_PRESET + ".")
    String preset;

    /** The chosen preset, or null for the default. */
    String value() {
        return preset;
    }

    /** Feeds picocli the shipped preset names for the help text (instantiated by picocli). */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ConfigLoader.presetNames().iterator();
        }
    }
}
