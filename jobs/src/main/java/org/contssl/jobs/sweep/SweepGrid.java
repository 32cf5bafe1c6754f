package org.contssl.jobs.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's grid: {@code key=v1,v2 key2=a,b} expands into the cartesian product of its values, one cell per
 * combination, in the order given (first key slowest). Each cell is one experiment: its own workdir under the
 * sweep's root, named by its overrides, and its own pipeline job instance.
 *
 * @param preset   preset of every cell ({@code null}: the default)
 * @param fixed    overrides common to every cell (not expanded; values may contain commas)
 * @param axes     swept keys and their values
 */
public record SweepGrid(String preset, List<String> fixed, Map<String, List<String>> axes) {

    /** One experiment of the sweep. */
    public record Cell(String name, Map<String, String> values, List<String> overrides) {
        public Path workdir(Path root) {
            return root.resolve("cells").resolve(name);
        }

        /** The cell's values without the seed: cells that differ only by seed are one group of the summary. */
        public String group() {
            List<String> parts = new ArrayList<>();
            values.forEach((k, v) -> {
                if (!k.equals(SEED)) {
                    parts.add(k + "=" + v);
                }
            });
            return parts.isEmpty() ? "all" : String.join(" ", parts);
        }
    }

    public static final String SEED = "environment.seed";

    /** Parses {@code key=v1,v2} axes. */
    public static SweepGrid parse(String preset, List<String> fixed, List<String> axes) {
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        for (String axis : axes) {
            int eq = axis.indexOf('=');
            if (eq <= 0 || eq == axis.length() - 1) {
                throw new IllegalArgumentException("sweep axis must be key=v1,v2,…, got " + axis);
            }
            List<String> values = List.of(axis.substring(eq + 1).split(","));
            if (values.stream().anyMatch(String::isBlank) || parsed.put(axis.substring(0, eq), values) != null) {
                throw new IllegalArgumentException("sweep axis " + axis + ": empty value or key given twice");
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one axis key=v1,v2,…");
        }
        return new SweepGrid(preset, List.copyOf(fixed), parsed);
    }

    public List<Cell> cells() {
        List<Map<String, String>> combos = new ArrayList<>(List.of(new LinkedHashMap<>()));
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> combo : combos) {
                for (String value : axis.getValue()) {
                    Map<String, String> extended = new LinkedHashMap<>(combo);
                    extended.put(axis.getKey(), value);
                    next.add(extended);
                }
            }
            combos = next;
        }
        List<Cell> cells = new ArrayList<>();
        for (Map<String, String> combo : combos) {
            List<String> overrides = new ArrayList<>(fixed);
            List<String> name = new ArrayList<>();
            combo.forEach((k, v) -> {
                overrides.add(k + "=" + v);
                name.add(k + "-" + v.replaceAll("[^A-Za-z0-9._-]", "_"));
            });
            cells.add(new Cell(String.join("_", name), combo, List.copyOf(overrides)));
        }
        return cells;
    }

    /** What identifies the sweep (its job instance): preset, fixed overrides and axes, in a stable text form. */
    public String describe() {
        return "preset=" + (preset == null ? "" : preset) + "\nfixed=" + String.join("\n  ", fixed) + "\naxes="
                + axes;
    }
}
