package org.contssl.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.contssl.jobs.reproduce.ReproducePlan;
import org.contssl.jobs.reproduce.ReproduceSpec;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.plan.RunPlan;
import org.contssl.steps.pretrain.PretrainPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plan}: resolves a configuration and prints what running it would take — steps, checkpoints, probe
 * partitions, disk, and wall time estimated from SGD steps timed here — without training or writing anything.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Resolve a configuration and print its steps, disk and estimated wall time, without training.",
        footer = {"", "The step counts come from the pretrain step's own accounting; the time from a few SGD steps of",
                "the configured backbone timed on this machine (slower if other work shares the cores).",
                "", ExitCodes.HELP})
public class PlanCommand implements Callable<Integer> {

    @Option(names = "--preset", description = "Preset name or a .yaml file; default: demo.")
    String preset;

    @Option(names = "--workdir", description = "A workdir whose built stream list to plan on (read only).")
    Path workdir;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--timing-steps", defaultValue = "5",
            description = "SGD steps to time after two warm-up steps (0 = no time estimate); default ${DEFAULT-VALUE}.")
    int timingSteps;

    @Option(names = "--timing-batch", defaultValue = "256",
            description = "Largest batch to time (larger batches are scaled linearly); default ${DEFAULT-VALUE}.")
    int timingBatch;

    @Option(names = "--reproduce", paramLabel = "BUDGET", description = "Plan a `reproduce` budget (quick, full,"
            + " full-references) instead: every cell's steps and the whole sweep's estimated wall time.")
    String reproduce;

    @Option(names = "--seeds", description = "With --reproduce: seeds per setting (default: the budget's).")
    Integer seeds;

    @Parameters(paramLabel = "key=value", arity = "0..*", description = "Config overrides.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (reproduce != null) {
            ReproduceSpec spec;
            try {
                spec = ReproduceSpec.load(null, reproduce);
            } catch (ReproduceSpec.BadSpec e) {
                System.err.println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            ReproducePlan rp = ReproducePlan.of(spec, seeds == null ? spec.budget().seeds() : seeds,
                    Math.max(0, timingSteps), Math.max(2, timingBatch));
            System.out.print(json ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(rp.json(reproduce)) + "\n" : rp.text(reproduce));
            return ExitCodes.OK;
        }
        ResolvedConfig config = ConfigLoader.loadIncomplete(preset, overrides);
        RunPlan plan = RunPlan.of(config, workdir, Math.max(0, timingSteps), Math.max(2, timingBatch));
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(toJson(config, plan)));
        } else {
            System.out.print(text(config, plan));
        }
        return ExitCodes.OK;
    }

    private String name() {
        return preset == null ? ConfigLoader.DEFAULT_PRESET : preset;
    }

    private Map<String, Object> toJson(ResolvedConfig config, RunPlan plan) {
        PretrainPlan p = plan.pretrain();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("preset", name());
        out.put("config_hash", config.hash());
        out.put("missing_keys", plan.missingKeys());
        out.put("stream_source", plan.streamSource());
        out.put("stream_records", plan.streamRecords());
        out.put("subsample", plan.subsample());
        out.put("kept_records", p.keptLength());
        out.put("dropped_tail", p.droppedTail());
        out.put("batch_size", p.batch());
        out.put("buffered", p.buffered());
        out.put("fill_chunks", p.fillChunks());
        out.put("fill_steps", 0);
        out.put("stream_steps", p.streamSteps());
        out.put("drain_steps", p.drainSteps());
        out.put("total_steps", p.totalSteps());
        out.put("image_steps", p.totalSteps() * p.batch());
        out.put("checkpoints", plan.checkpoints());
        out.put("probe_partitions", plan.probePartitions());
        out.put("disk_bytes", Map.of("buffer_file", plan.bufferBytes(), "checkpoints", plan.checkpointBytes(),
                "cached_features", plan.featureBytes()));
        if (plan.timing() != null) {
            RunPlan.Timing t = plan.timing();
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("backbone", t.backbone());
            timing.put("insize", t.insize());
            timing.put("timed_batch", t.timedBatch());
            timing.put("timed_steps", t.timedSteps());
            timing.put("seconds_per_step", t.secondsPerStep());
            timing.put("parameters", t.parameters());
            timing.put("cores", Runtime.getRuntime().availableProcessors());
            out.put("timing", timing);
            out.put("estimated_pretrain_seconds", plan.pretrainSeconds());
            out.put("estimated_probe_seconds", plan.probeSeconds());
            out.put("estimated_days", (plan.pretrainSeconds() + plan.probeSeconds()) / 86_400);
        }
        return out;
    }

    private String text(ResolvedConfig config, RunPlan plan) {
        PretrainPlan p = plan.pretrain();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "plan for %s (config %s) — nothing is trained or written%n", name(),
                config.hash()));
        if (!plan.missingKeys().isEmpty()) {
            b.append("  to run it, also set: ").append(String.join(", ", plan.missingKeys())).append('\n');
        }
        b.append(String.format(Locale.ROOT, "  stream:      %,d records (%s), subsample %d -> %,d kept, %,d dropped"
                        + " tail%n", plan.streamRecords(), plan.streamSource(), plan.subsample(), p.keptLength(),
                p.droppedTail()));
        if (p.buffered()) {
            b.append(String.format(Locale.ROOT, "  steps:       fill %,d chunks (no steps), stream %,d, drain %,d,"
                            + " total %,d steps of %d (%,d image-steps)%n", p.fillChunks(), p.streamSteps(),
                    p.drainSteps(), p.totalSteps(), p.batch(), p.totalSteps() * p.batch()));
        } else {
            b.append(String.format(Locale.ROOT, "  steps:       no buffer, %d epoch(s), total %,d steps of %d"
                    + " (%,d image-steps)%n", p.epochs(), p.totalSteps(), p.batch(), p.totalSteps() * p.batch()));
        }
        b.append(String.format(Locale.ROOT, "  outputs:     %,d checkpoints, %d probe partitions%n",
                plan.checkpoints(), plan.probePartitions()));
        b.append(String.format(Locale.ROOT, "  disk:        buffer file ~%s, checkpoints ~%s, cached features ~%s%n",
                bytes(plan.bufferBytes()), bytes(plan.checkpointBytes()), bytes(plan.featureBytes())));
        if (plan.timing() != null) {
            RunPlan.Timing t = plan.timing();
            b.append(String.format(Locale.ROOT, "  timing:      %s at %d px: %d steps timed at batch %d on %d cores ->"
                            + " %.3f s per step of %d%n", t.backbone(), t.insize(), t.timedSteps(), t.timedBatch(),
                    Runtime.getRuntime().availableProcessors(), t.secondsPerStep(), p.batch()));
            double total = plan.pretrainSeconds() + plan.probeSeconds();
            b.append(String.format(Locale.ROOT, "  estimate:    pretraining %s, probes %s: %s on this machine%n",
                    duration(plan.pretrainSeconds()), duration(plan.probeSeconds()), duration(total)));
            if (total > 86_400) {
                b.append(String.format(Locale.ROOT, "  that is %,.0f days of this CPU: the reference ran it on 4 GPUs"
                        + " (docs/presets.md)%n", total / 86_400));
            }
        }
        return b.toString();
    }

    static String bytes(long n) {
        if (n < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
    }

    static String duration(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 7_200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        if (seconds < 172_800) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3_600);
        }
        return String.format(Locale.ROOT, "%,.1f days", seconds / 86_400);
    }
}
