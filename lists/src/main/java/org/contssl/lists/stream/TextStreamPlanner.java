package org.contssl.lists.stream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.StreamDiagnostics;

/**
 * The stream kinds read from one of the reference's text lists ({@code data.type} = standard, sequential,
 * class_sequential; docs/reference-system.md §3.1): a subclass turns the list into stream records in stream order,
 * this class checks that every record stays inside the base directory and writes them as the stream list (record
 * width widened to the longest record if needed). The images are used in place, never copied. No in-distribution
 * probe is built; the out-of-distribution Fashion-MNIST probe is added if asked, as for a memmap list.
 */
abstract class TextStreamPlanner implements StreamKindPlanner {

    private static final String FAMILY = "list";

    /** The stream's records in order, their labels (null when the list has none) and class names. */
    record Records(List<String> records, int[] labels, List<String> classNames, Integer clipLength) {
    }

    /** The {@code data.type} this planner reads. */
    abstract ListType type();

    /** Reads the list and puts its records in stream order. */
    abstract Records records(PlanContext ctx, Path list, Path baseDir);

    @Override
    public final boolean accepts(StreamRequest req) {
        return req.isOwnList() && req.listType() == type();
    }

    @Override
    public final StreamPlan build(PlanContext ctx) {
        StreamRequest req = ctx.req();
        Path list = req.trainFilelist();
        Path baseDir = baseDirOf(req);
        Records r = records(ctx, list, baseDir);
        if (r.records().isEmpty()) {
            throw ListFormatException.ofFile(Problem.BAD_OPTION, list, "the list names no images",
                    "give a list with at least one line");
        }
        int width = req.recordWidth();
        for (int i = 0; i < r.records().size(); i++) {
            String rec = r.records().get(i);
            checkInside(list, i, pathPart(req, rec), baseDir);
            width = Math.max(width, rec.getBytes(StandardCharsets.UTF_8).length);
        }
        String source = type().id() + ":" + list;
        Path streamPath = ctx.streamPath();
        try (MemmapListWriter w = MemmapListWriter.create(streamPath, width, baseDir, r.labels() != null)) {
            for (int i = 0; i < r.records().size(); i++) {
                if (r.labels() != null) {
                    w.add(r.records().get(i), r.labels()[i]);
                } else {
                    w.add(r.records().get(i));
                }
            }
            Integer numClasses = r.classNames() == null ? null : r.classNames().size();
            w.commit(ListMetadata.builder()
                    .role("stream")
                    .source(source)
                    .kind(req.kind().id())
                    .seed(req.seed())
                    .clipLength(r.clipLength())
                    .numClasses(numClasses)
                    .classNames(r.classNames())
                    .diagnostics(r.labels() != null ? StreamDiagnostics.ofLabels(r.labels(), numClasses) : null)
                    .notes(ctx.notes()));
        }
        Map<String, ProbeSet> probes = new LinkedHashMap<>();
        ctx.probes().addOutOfDistribution(probes, FAMILY);
        return ctx.plan(streamPath, r.records().size(), source, r.clipLength(), null, probes, List.of(), List.of());
    }

    /** The path a record names (a video slot's record also carries its frame count). */
    String pathPart(StreamRequest req, String record) {
        return record;
    }

    /** {@code data.base_dir}, else the folder of a class tree, else the directory holding the list file. */
    static Path baseDirOf(StreamRequest req) {
        Path list = req.trainFilelist();
        Path base = req.baseDir() != null ? req.baseDir()
                : java.nio.file.Files.isDirectory(list) ? list : list.toAbsolutePath().getParent();
        return base.toAbsolutePath().normalize();
    }

    /** The i.i.d. order: a seeded permutation; ordered keeps the list's order. */
    static int[] order(StreamRequest req, int n, String purpose) {
        if (req.kind() == StreamKind.ORDERED) {
            int[] id = new int[n];
            for (int i = 0; i < n; i++) {
                id[i] = i;
            }
            return id;
        }
        return Seeds.permutation(n, Seeds.derive(req.seed(), purpose + ":" + req.trainFilelist()));
    }

    private static void checkInside(Path list, int i, String path, Path baseDir) {
        Path p = Path.of(path);
        Path resolved = (p.isAbsolute() ? p : baseDir.resolve(p)).normalize();
        if (!resolved.startsWith(baseDir) || resolved.equals(baseDir)) {
            throw new ListFormatException(Problem.PATH_ESCAPES_BASE, list, i, "path '" + path
                    + "' escapes the base directory " + baseDir,
                    "paths must stay inside data.base_dir; fix the list or choose the right base directory");
        }
    }
}
