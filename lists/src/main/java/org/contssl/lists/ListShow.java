package org.contssl.lists;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code ./run.sh lists show FILE [--head N] [--json] [--record-width W] [--count N]} prints: the list's
 * metadata (from the sidecar, or what was inferred for a sidecar-less list), its diagnostics, and the first N
 * records (index, path, label). Bad input surfaces as the {@link ListFormatException} of the first bad record.
 */
public final class ListShow {

    /**
     * @param head        number of records to print (default 10)
     * @param json        one JSON object instead of text
     * @param recordWidth record width of a sidecar-less list (default 120)
     * @param count       record count of a sidecar-less list (default: from the file size)
     * @param baseDir     base directory override
     * @param labelsFile  labels file of a sidecar-less list
     */
    public record Options(int head, boolean json, Integer recordWidth, Long count, Path baseDir, Path labelsFile) {
        public static Options defaults() {
            return new Options(10, false, null, null, null, null);
        }

        public Options withHead(int n) { return new Options(n, json, recordWidth, count, baseDir, labelsFile); }
        public Options withJson(boolean j) { return new Options(head, j, recordWidth, count, baseDir, labelsFile); }
        public Options withRecordWidth(Integer w) { return new Options(head, json, w, count, baseDir, labelsFile); }
        public Options withCount(Long n) { return new Options(head, json, recordWidth, n, baseDir, labelsFile); }
        public Options withBaseDir(Path d) { return new Options(head, json, recordWidth, count, d, labelsFile); }
        public Options withLabelsFile(Path f) { return new Options(head, json, recordWidth, count, baseDir, f); }
    }

    private ListShow() {
    }

    public static String render(Path file, Options o) {
        if (o.head() < 0) {
            throw new ListFormatException(ListFormatException.Problem.BAD_OPTION, file, -1,
                    "--head " + o.head() + " is negative", "use --head 0 or more");
        }
        MemmapList.OpenOptions open = MemmapList.OpenOptions.defaults().withRecordWidth(o.recordWidth())
                .withCount(o.count()).withBaseDir(o.baseDir()).withLabelsFile(o.labelsFile());
        try (MemmapList l = MemmapList.open(file, open)) {
            return o.json() ? json(l, o.head()) : text(l, o.head());
        }
    }

    private static String json(MemmapList l, int head) {
        ObjectNode root = Sidecars.MAPPER.createObjectNode();
        root.put("dataFile", l.dataFile().toString());
        root.put("sidecar", l.sidecar() == null ? null : l.sidecar().toString());
        root.put("count", l.size());
        root.put("recordWidth", l.recordWidth());
        root.put("baseDir", l.baseDir().toString());
        root.put("labelsFile", l.labelsFile() == null ? null : l.labelsFile().toString());
        root.set("metadata", Sidecars.MAPPER.valueToTree(l.metadata()));
        ArrayNode recs = root.putArray("records");
        for (long i = 0; i < Math.min(head, l.size()); i++) {
            ObjectNode r = recs.addObject();
            r.put("index", i);
            r.put("path", l.pathAt(i));
            if (l.hasLabels()) {
                r.put("label", l.labelAt(i));
            }
        }
        try {
            return Sidecars.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MemmapList l, int head) {
        ListMetadata m = l.metadata();
        StringBuilder sb = new StringBuilder();
        line(sb, "list", l.dataFile().toString());
        line(sb, "sidecar", l.sidecar() != null ? l.sidecar().toString()
                : "none (reference format; record width " + l.recordWidth() + ", count "
                + (m.count() != null ? m.count() : l.size()) + ")");
        line(sb, "records", String.format(Locale.ROOT, "%,d x S%d (%,d bytes)", l.size(), l.recordWidth(),
                l.size() * l.recordWidth()));
        line(sb, "base dir", l.baseDir().toString());
        if (l.rewrite() != PathRewrite.NONE) {
            line(sb, "rewrite", l.rewrite().id() + " (applied when reading)");
        }
        if (l.hasLabels()) {
            String classes = m.classNames() == null ? "" : " — " + String.join(", ", abbreviate(m.classNames(), 12));
            line(sb, "labels", l.labelsFile().getFileName() + (m.numClasses() != null ? " (" + m.numClasses()
                    + " classes" + classes + ")" : ""));
        }
        line(sb, "role", m.role());
        line(sb, "source", m.source());
        line(sb, "kind", m.kind());
        line(sb, "seed", m.seed() == null ? null : m.seed().toString());
        line(sb, "clip length", m.clipLength() == null ? null : m.clipLength().toString());
        line(sb, "domain order", m.domainOrder());
        line(sb, "sha256", m.sha256());
        if (m.domains() != null) {
            for (ListMetadata.DomainSpan d : m.domains()) {
                line(sb, "domain", String.format(Locale.ROOT, "%s [%,d, %,d) %s", d.name(), d.start(), d.end(),
                        d.description() == null ? "" : d.description()));
            }
        }
        if (m.subsample() != null) {
            ListMetadata.SubsampleInfo s = m.subsample();
            line(sb, "subsample", String.format(Locale.ROOT, "every %d-th record of %s (%,d records); index i here"
                    + " = record i*%d there", s.k(), s.sourceList(), s.sourceCount(), s.k()));
        }
        StreamDiagnostics d = m.diagnostics();
        if (d != null) {
            sb.append("diagnostics\n");
            if (d.classHistogramPerQuarter() != null) {
                sb.append("  class histogram per quarter of the stream (columns = class ids 0..")
                        .append(d.classHistogramPerQuarter().get(0).size() - 1).append(")\n");
                for (int q = 0; q < d.classHistogramPerQuarter().size(); q++) {
                    sb.append(String.format(Locale.ROOT, "    Q%d from %,d:", q + 1, d.quarterStarts().get(q)));
                    for (Long c : d.classHistogramPerQuarter().get(q)) {
                        sb.append(' ').append(c);
                    }
                    sb.append('\n');
                }
            }
            if (d.meanAbsDiffConsecutive() != null) {
                sb.append(String.format(Locale.ROOT, "  mean |pixel difference| between consecutive %s: %.2f of 255"
                                + " (%,d pairs)%n", m.clipLength() != null && m.clipLength() > 1 ? "frames" : "images",
                        d.meanAbsDiffConsecutive(), d.consecutivePairs()));
            }
            if (d.meanAbsDiffClipEnds() != null) {
                sb.append(String.format(Locale.ROOT, "  mean |pixel difference| across clip boundaries: %.2f of 255"
                        + " (%,d pairs)%n", d.meanAbsDiffClipEnds(), d.clipEndPairs()));
            }
        }
        if (m.notes() != null) {
            for (String n : m.notes()) {
                line(sb, "note", n);
            }
        }
        long n = Math.min(head, l.size());
        if (n > 0) {
            sb.append(String.format(Locale.ROOT, "first %d records%n", n));
            sb.append(String.format(Locale.ROOT, "  %10s  %6s  %s%n", "index", l.hasLabels() ? "label" : "", "path"));
            for (long i = 0; i < n; i++) {
                sb.append(String.format(Locale.ROOT, "  %10d  %6s  %s%n", i,
                        l.hasLabels() ? Integer.toString(l.labelAt(i)) : "", l.pathAt(i)));
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        if (value != null) {
            sb.append(String.format(Locale.ROOT, "%-13s %s%n", key, value));
        }
    }

    private static List<String> abbreviate(List<String> names, int max) {
        if (names.size() <= max) {
            return names;
        }
        List<String> out = new java.util.ArrayList<>(names.subList(0, max));
        out.add("… " + (names.size() - max) + " more");
        return out;
    }
}
