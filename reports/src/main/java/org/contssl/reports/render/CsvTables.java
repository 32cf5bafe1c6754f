package org.contssl.reports.render;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.contssl.reports.forgetting.Forgetting;
import org.contssl.reports.forgetting.ForgettingEntry;
import org.contssl.reports.results.ProbeRecord;
import org.contssl.reports.results.RunResults;

/** results.csv (one row per probe result, tidy format for pandas/R) and forgetting.csv. */
public final class CsvTables {
    public static final List<String> RESULTS_COLUMNS = List.of("run_name", "config_hash", "seed", "encoder", "checkpoint",
            "progress", "dataset", "role", "method", "top1", "top5", "train_size", "test_size", "feature_dim");
    public static final List<String> FORGETTING_COLUMNS = List.of("run_name", "domain_position", "domain_id", "after_position",
            "after_id", "a_kk", "a_jk", "absolute_points", "relative_percent");

    private CsvTables() {}

    public static String results(RunResults r) {
        List<List<Object>> rows = new ArrayList<>();
        for (ProbeRecord p : r.probes()) {
            rows.add(Arrays.asList(r.runName(), r.configHash(), r.seed(), p.encoder().key(), p.checkpoint(), p.progress(),
                    p.dataset(), p.role().key(), p.method().key(), p.top1(), p.top5(), p.trainSize(), p.testSize(), p.featureDim()));
        }
        return write(RESULTS_COLUMNS, rows);
    }

    public static String forgetting(RunResults r) {
        List<List<Object>> rows = new ArrayList<>();
        if (r.domainMatrix() != null) {
            for (ForgettingEntry e : Forgetting.entries(r.domainMatrix())) {
                rows.add(Arrays.asList(r.runName(), e.domain(), r.domainMatrix().domainOrder().get(e.domain()), e.after(),
                        r.domainMatrix().domainOrder().get(e.after()), e.learned(), e.later(), e.absolutePoints(), e.relativePercent()));
            }
        }
        return write(FORGETTING_COLUMNS, rows);
    }

    private static String write(List<String> columns, List<List<Object>> rows) {
        CsvSchema.Builder b = CsvSchema.builder();
        columns.forEach(b::addColumn);
        CsvSchema schema = b.build().withHeader().withNullValue("");
        StringWriter out = new StringWriter();
        try (SequenceWriter w = new CsvMapper().writer(schema).writeValues(out)) {
            for (List<Object> row : rows) w.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format CSV: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
