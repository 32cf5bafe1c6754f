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
 * <p>A grid may instead be a union of named blocks (each with its own overrides and axes), as {@code reproduce}
 * builds it: the three findings compare different settings, not a product of keys (docs/reproducing.md).
 *
 * @param preset   preset of every cell ({@code null}: the default)
 * @param fixed    overrides common to every cell (not expanded; values may contain commas)
 * @param axes     swept keys and their values (empty when {@code blocks} are given)
 * @param blocks   named sub-grids whose cells are the union; null or empty for a plain grid
 */
public record SweepGrid(String preset, List<String> fixed, Map<String, List<String>> axes, List<Block> blocks) {

    /** The canonical constructor is the one sweep.json is read with (a sweep.json without blocks too). */
    @com.fasterxml.jackson.annotation.JsonCreator
    public SweepGrid {
    }

    public SweepGrid(String preset, List<String> fixed, Map<String, List<String>> axes) {
        this(preset, fixed, axes, null);
    }

    /**
     * One named sub-grid: its cells carry {@code setting=name} as their group and {@code fixed} on top of the grid's.
     *
     * @param name  the setting's name, also the prefix of its cells' names
     * @param fixed overrides of every cell of the block
     * @param axes  its swept keys (usually only {@code environment.seed})
     */
    public record Block(String name, List<String> fixed, Map<String, List<String>> axes) {
    }

    /** The group key of a block's cells. */
    public static final String SETTING = "setting";

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
        if (blocks == null || blocks.isEmpty()) {
            return expand(axes, fixed, new LinkedHashMap<>(), "");
        }
        List<Cell> cells = new ArrayList<>();
        for (Block b : blocks) {
            List<String> common = new ArrayList<>(fixed);
            common.addAll(b.fixed());
            Map<String, String> tag = new LinkedHashMap<>();
            tag.put(SETTING, b.name());
            cells.addAll(expand(b.axes(), common, tag, b.name().replaceAll("[^A-Za-z0-9._-]", "_") + "_"));
        }
        return cells;
    }

    private static List<Cell> expand(Map<String, List<String>> axes, List<String> fixed, Map<String, String> tag,
                                     String prefix) {
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
            Map<String, String> values = new LinkedHashMap<>(tag);
            values.putAll(combo);
            cells.add(new Cell(prefix + String.join("_", name), values, List.copyOf(overrides)));
        }
        return cells;
    }

    /** What identifies the sweep (its job instance): preset, fixed overrides and axes, in a stable text form. */
    public String describe() {
        return "preset=" + (preset == null ? "" : preset) + "\nfixed=" + String.join("\n  ", fixed) + "\naxes="
                + axes + (blocks == null || blocks.isEmpty() ? "" : "\nblocks=" + blocks);
    }
}
