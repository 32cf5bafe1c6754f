package org.contssl.jobs.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.jobs.sweep.SweepGrid;

/**
 * The grids and budgets of {@code reproduce}, read from {@code reproduce/reproduce.yaml} (or a file of the same shape
 * given with {@code --spec}): what each finding compares and, per budget, the overrides of every setting. The cells
 * are a union of sweep blocks named {@code <finding>.<setting>}, each swept over {@code environment.seed}.
 *
 * @param findings the findings in file order
 * @param budget   the chosen budget
 */
public record ReproduceSpec(List<Finding> findings, Budget budget) {

    public static final String RESOURCE = "reproduce/reproduce.yaml";

    /**
     * What one finding compares.
     *
     * @param id       its key ({@code iid}, {@code correlated}, {@code domains})
     * @param measure  {@code linear} (final linear top-1, higher is better) or {@code forgetting} (lower is better)
     * @param better   the setting the paper finds better
     * @param worse    the setting it finds worse
     * @param match    a setting shown beside the verdict (difference and interval), may be null
     * @param settings this budget's settings: name → overrides (finding.common included)
     */
    public record Finding(String id, String title, String paper, String measure, String better, String worse,
                          String match, Map<String, List<String>> settings) {

        public boolean lowerIsBetter() {
            return "forgetting".equals(measure);
        }

        /** The block (and group) name of one of its settings. */
        public String block(String setting) {
            return id + "." + setting;
        }
    }

    /** One budget: its name, description, default seeds and whether it can only show the mechanisms. */
    public record Budget(String name, String description, int seeds, boolean mechanismsOnly, List<String> common) {
    }

    /** Reads the bundled spec ({@code file} null) or a file, and picks {@code budget}. */
    public static ReproduceSpec load(Path file, String budget) {
        JsonNode root;
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (InputStream in = file == null ? ReproduceSpec.class.getClassLoader().getResourceAsStream(RESOURCE)
                : Files.newInputStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the bundled " + RESOURCE + " is missing from the jar");
            }
            root = yaml.readTree(in);
        } catch (IOException e) {
            throw new BadSpec((file == null ? RESOURCE : file.toString()) + ": cannot read (" + e.getMessage()
                    + "); give a readable YAML file of the shape of the bundled " + RESOURCE);
        }
        String where = file == null ? RESOURCE : file.toString();
        JsonNode b = root.path("budgets").path(budget);
        if (b.isMissingNode()) {
            List<String> names = new ArrayList<>();
            root.path("budgets").fieldNames().forEachRemaining(names::add);
            throw new BadSpec(where + ": no budget '" + budget + "'; use one of " + names);
        }
        Budget chosen = new Budget(budget, b.path("description").asText(""), b.path("seeds").asInt(2),
                b.path("mechanisms_only").asBoolean(false), strings(b.path("common")));
        List<Finding> findings = new ArrayList<>();
        var ids = root.path("findings").fieldNames();
        while (ids.hasNext()) {
            String id = ids.next();
            JsonNode f = root.path("findings").path(id);
            JsonNode bf = b.path("findings").path(id);
            if (bf.isMissingNode()) {
                continue; // a budget may leave a finding out (a tiny test spec does)
            }
            List<String> common = strings(bf.path("common"));
            Map<String, List<String>> settings = new LinkedHashMap<>();
            bf.path("settings").fields().forEachRemaining(e -> {
                List<String> o = new ArrayList<>(common);
                o.addAll(strings(e.getValue()));
                settings.put(e.getKey(), List.copyOf(o));
            });
            Finding finding = new Finding(id, f.path("title").asText(id), f.path("paper").asText(""),
                    f.path("measure").asText("linear"), f.path("better").asText(null), f.path("worse").asText(null),
                    f.hasNonNull("match") ? f.path("match").asText() : null, settings);
            for (String s : new String[] {finding.better(), finding.worse()}) {
                if (s == null || !settings.containsKey(s)) {
                    throw new BadSpec(where + ": finding " + id + " compares setting '" + s + "', which budget "
                            + budget + " does not define; add it under budgets." + budget + ".findings." + id);
                }
            }
            findings.add(finding);
        }
        if (findings.isEmpty()) {
            throw new BadSpec(where + ": budget '" + budget + "' defines no finding's settings");
        }
        return new ReproduceSpec(List.copyOf(findings), chosen);
    }

    /** The sweep: one block per (finding, setting), each over seeds 0..seeds-1. */
    public SweepGrid grid(int seeds, List<String> extra) {
        List<String> fixed = new ArrayList<>(budget.common());
        fixed.addAll(extra);
        List<String> seedValues = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            seedValues.add(Integer.toString(s));
        }
        List<SweepGrid.Block> blocks = new ArrayList<>();
        for (Finding f : findings) {
            f.settings().forEach((name, overrides) -> blocks.add(new SweepGrid.Block(f.block(name), overrides,
                    Map.of(SweepGrid.SEED, List.copyOf(seedValues)))));
        }
        return new SweepGrid(null, List.copyOf(fixed), Map.of(), List.copyOf(blocks));
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The spec file is unreadable or inconsistent: exit 6 with this line. */
    public static final class BadSpec extends RuntimeException {
        public BadSpec(String message) {
            super(message);
        }
    }
}
