package org.contssl.jobs.reproduce;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.contssl.jobs.sweep.SweepGrid;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.ResolvedConfig;
import org.contssl.steps.plan.RunPlan;

/**
 * {@code plan --reproduce BUDGET}: what a reproduce budget costs here, cell by cell, without training. SGD steps are
 * timed once per (backbone, input size, batch) — the cells of a budget share them — and each cell's pretraining is
 * the plan's own estimate (fixed cost + steps × timed step ÷ loader efficiency); the probe time of a cell is taken
 * from the first cell with the same backbone, which probes the same sets (the domains cells probe more, so the total
 * is a lower bound there).
 *
 * @param cells      one line per cell
 * @param totalHours estimated wall time of the whole sweep on this machine, hours
 */
public record ReproducePlan(List<Cell> cells, double totalHours) {

    /** One cell's plan. */
    public record Cell(String name, long steps, long imageSteps, double seconds) {
    }

    public static ReproducePlan of(ReproduceSpec spec, int seeds, int timingSteps, int timingBatch) {
        SweepGrid grid = spec.grid(seeds, List.of());
        Map<String, RunPlan> timed = new HashMap<>();
        List<Cell> cells = new ArrayList<>();
        double total = 0;
        for (SweepGrid.Cell cell : grid.cells()) {
            ResolvedConfig config = ConfigLoader.loadIncomplete(null, cell.overrides());
            var c = config.config();
            String key = c.model().backbone() + "@" + c.data().insize() + "/" + c.optim().batchSize();
            RunPlan reference = timed.get(key);
            RunPlan plan = RunPlan.of(config, null, reference == null ? timingSteps : 0, timingBatch);
            if (reference == null) {
                timed.put(key, plan);
                reference = plan;
            }
            double seconds = Double.NaN;
            if (reference.timing() != null) {
                double step = reference.timing().secondsPerStep();
                seconds = (reference.pretrainSeconds() - reference.pretrain().totalSteps() * step / 0.96)
                        + plan.pretrain().totalSteps() * step / 0.96 + reference.probeSeconds();
            }
            total += seconds;
            cells.add(new Cell(cell.name(), plan.pretrain().totalSteps(),
                    plan.pretrain().totalSteps() * plan.pretrain().batch(), seconds));
        }
        return new ReproducePlan(cells, total / 3600);
    }

    public String text(String budget) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "plan for reproduce --budget %s: %d cells —"
                + " nothing is trained or written%n", budget, cells.size()));
        for (Cell c : cells) {
            b.append(String.format(Locale.ROOT, "  %-48s %,7d steps %,11d image-steps  ~%s%n", c.name(), c.steps(),
                    c.imageSteps(), Double.isNaN(c.seconds()) ? "?" : String.format(Locale.ROOT, "%.1f min",
                            c.seconds() / 60)));
        }
        b.append(String.format(Locale.ROOT, "  estimate:    %.1f h for the whole sweep on this machine (SGD steps"
                + " timed here; slower while other work shares the cores)%n", totalHours));
        return b.toString();
    }

    public Map<String, Object> json(String budget) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("budget", budget);
        out.put("cells", cells);
        out.put("estimated_hours", totalHours);
        return out;
    }
}
