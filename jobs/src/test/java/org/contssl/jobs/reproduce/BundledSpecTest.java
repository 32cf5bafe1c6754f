package org.contssl.jobs.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.contssl.jobs.sweep.SweepGrid;
import org.junit.jupiter.api.Test;

/**
 * The bundled grid file is only read when a user runs {@code reproduce}: every budget it ships must load, compare
 * the settings its findings name, and keep finding (2)'s FIFO window at the size the experiment log chose
 * (docs/reproducing.md: 32 clips tied, 4 clips resolved).
 */
class BundledSpecTest {

    @Test
    void everyBundledBudgetLoadsWithTheSettingsItsVerdictsCompare() {
        for (String budget : List.of("quick", "full", "full-references")) {
            ReproduceSpec spec = ReproduceSpec.load(null, budget);
            assertThat(spec.findings()).extracting(ReproduceSpec.Finding::id)
                    .as(budget).containsExactly("iid", "correlated", "domains");
            for (ReproduceSpec.Finding f : spec.findings()) {
                assertThat(f.settings()).as(budget + " " + f.id()).containsKeys(f.better(), f.worse());
            }
        }
    }

    @Test
    void fullRunsTheVerdictSettingsAndReferencesAddTheMatches() {
        List<SweepGrid.Cell> full = ReproduceSpec.load(null, "full").grid(3, List.of()).cells();
        List<SweepGrid.Cell> refs = ReproduceSpec.load(null, "full-references").grid(3, List.of()).cells();
        assertThat(full).hasSize(18);
        assertThat(refs).hasSize(24);
        assertThat(refs).extracting(SweepGrid.Cell::name).containsAll(full.stream().map(SweepGrid.Cell::name).toList());
    }

    @Test
    void fullKeepsFifoWindowAtFourClipsOnTheCorrelatedStream() {
        ReproduceSpec spec = ReproduceSpec.load(null, "full");
        for (ReproduceSpec.Finding f : spec.findings()) {
            if (!f.id().equals("correlated")) {
                continue;
            }
            for (Map.Entry<String, List<String>> s : f.settings().entrySet()) {
                List<String> o = new ArrayList<>(spec.budget().common());
                o.addAll(s.getValue());
                assertThat(last(o, "model.buff_siz") / last(o, "data.clip_length")).as(s.getKey()).isEqualTo(4);
            }
        }
    }

    /** The value the last override of {@code key} gives (later overrides win, as in a cell). */
    private static int last(List<String> overrides, String key) {
        int v = -1;
        for (String o : overrides) {
            if (o.startsWith(key + "=")) {
                v = Integer.parseInt(o.substring(key.length() + 1));
            }
        }
        return v;
    }
}
