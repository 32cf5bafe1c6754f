package org.contssl.tools.bench.lists;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.FeistelPermutation;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;
import org.contssl.lists.Subsample;
import org.contssl.lists.stream.Seeds;
import org.contssl.lists.stream.StreamKind;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.lists.stream.StreamPlanner;
import org.contssl.lists.stream.StreamRequest;

/**
 * Peak resident memory of the {@code lists} job's own-list work ({@code bench lists --job-memory 20000000,100000000}):
 * for each size, a Flickr-like memmap list is generated, then the i.i.d. shuffle ({@link StreamPlanner} on the own
 * list, exactly what the {@code lists} job runs) and {@code data.subsample=4} of its result ({@link Subsample}, what
 * the {@code subsample} job runs) each run in a child JVM with a small heap ({@code -Xmx512m} unless
 * {@code --job-heap} says otherwise), which then reports its {@code VmHWM} from {@code /proc/self/status}: the heap
 * limit makes the peak mean something (an unlimited JVM grows its heap lazily towards a quarter of the RAM), and a
 * child process has no memory history of its own. With {@code --job-compare} the shuffle is also done by plain random
 * access through the mapping, in the same order, for comparison. Everything generated is deleted afterwards.
 */
public final class ListJobMemory {

    private static final String RESULT = "RESULT ";

    private ListJobMemory() {
    }

    /** Child entry point: {@code ListJobMemory <step> <list> <workdir>}; prints one {@code RESULT} line. */
    public static void main(String[] args) throws Exception {
        String step = args[0];
        Path list = Path.of(args[1]);
        Path workdir = Path.of(args[2]);
        long t = System.nanoTime();
        long records;
        switch (step) {
            case "shuffle" -> {
                StreamPlan plan = StreamPlanner.build(StreamRequest.builder(workdir).trainFilelist(list)
                        .baseDir(list.getParent()).kind(StreamKind.IID).oodProbe(false).seed(1).build());
                records = plan.streamLength();
            }
            case "subsample" -> records = Subsample.apply(workdir.resolve("lists").resolve(StreamPlanner.STREAM_LIST),
                    4, workdir.resolve("lists").resolve("stream_sub4.memmap")).count();
            case "random-access" -> records = randomAccessShuffle(list, workdir.resolve("random-access.memmap"));
            default -> throw new IllegalArgumentException("unknown step " + step);
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        Map<String, Long> status = procStatus();
        System.out.printf(Locale.ROOT, "%s%d %.2f %.2f %d %d %d%n", RESULT, records, seconds, cpu,
                status.getOrDefault("VmHWM", -1L), status.getOrDefault("RssAnon", -1L),
                status.getOrDefault("RssFile", -1L));
    }

    /** The alternative to {@code ListShuffle}: the same permutation applied by random reads through the mapping. */
    private static long randomAccessShuffle(Path src, Path dst) {
        try (MemmapList in = MemmapList.open(src);
             MemmapListWriter w = MemmapListWriter.create(dst, in.recordWidth(), in.baseDir(), false)) {
            FeistelPermutation sigma = new FeistelPermutation(in.size(), Seeds.derive(1, "shuffle"));
            for (long p = 0; p < in.size(); p++) {
                w.add(in.recordAt(sigma.apply(p)));
            }
            return w.commit(ListMetadata.builder().role("benchmark")).count();
        }
    }

    /** {@code /proc/self/status} fields in kB (Linux); empty elsewhere. */
    static Map<String, Long> procStatus() {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] kv = line.split(":\\s+");
                if (kv.length == 2 && kv[1].endsWith(" kB")) {
                    m.put(kv[0], Long.parseLong(kv[1].substring(0, kv[1].length() - 3).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no numbers
        }
        return m;
    }

    /**
     * Measures every size in {@code sizes} under {@code work}; adds one map per (size, step) to {@code out} and a line
     * per step to {@code lines}.
     */
    static void measure(Path work, long[] sizes, String heap, boolean compare, List<Map<String, Object>> out,
                        List<String> lines) throws IOException, InterruptedException {
        for (long n : sizes) {
            Path dir = Files.createDirectories(work.resolve("job-memory-" + n));
            try {
                Path list = dir.resolve("own.memmap");
                long t = System.nanoTime();
                StringBuilder sb = new StringBuilder();
                try (MemmapListWriter w = MemmapListWriter.create(list, 120, dir, false)) {
                    for (long i = 0; i < n; i++) {
                        sb.setLength(0);
                        // a Flickr-like relative path (~36 bytes), as in ListsBenchmark
                        w.add(sb.append("images/").append(i % 100).append('/').append((i / 100) % 1000).append('/')
                                .append(1_000_000_000L + i).append("-256p.jpg").toString());
                    }
                    w.commit(ListMetadata.builder().role("benchmark"));
                }
                lines.add(String.format(Locale.ROOT, "own list of %,d records (%,d bytes) generated in %.1f s;"
                        + " child JVMs -Xmx%s:", n, Files.size(list), (System.nanoTime() - t) / 1e9, heap));
                List<String> steps = new ArrayList<>(List.of("shuffle", "subsample"));
                if (compare) {
                    steps.add("random-access");
                }
                for (String step : steps) {
                    Map<String, Object> m = child(step, list, dir.resolve("run"), heap);
                    m.put("records", n);
                    m.put("listBytes", Files.size(list));
                    out.add(m);
                    lines.add(String.format(Locale.ROOT, "  %-13s %,d records out in %.1f s (%.1f CPU s): peak RSS"
                                    + " %,d MiB (at the end: %,d MiB anonymous, %,d MiB file-backed)", step,
                            (long) m.get("recordsOut"), (double) m.get("seconds"), (double) m.get("cpuSeconds"),
                            (long) m.get("peakRssKb") / 1024, (long) m.get("rssAnonKb") / 1024,
                            (long) m.get("rssFileKb") / 1024));
                    if (step.equals("random-access")) {
                        Files.deleteIfExists(dir.resolve("run").resolve("random-access.memmap"));
                    }
                }
            } finally {
                AtomicFiles.deleteTree(dir);
            }
        }
    }

    private static Map<String, Object> child(String step, Path list, Path workdir, String heap)
            throws IOException, InterruptedException {
        Files.createDirectories(workdir);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx" + heap, "-XX:+UseParallelGC", "-cp",
                System.getProperty("java.class.path"), ListJobMemory.class.getName(), step, list.toString(),
                workdir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length());
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException("the " + step + " child JVM failed (exit " + p.exitValue() + ")");
        }
        String[] f = result.split(" ");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("heap", heap);
        m.put("recordsOut", Long.parseLong(f[0]));
        m.put("seconds", Double.parseDouble(f[1]));
        m.put("cpuSeconds", Double.parseDouble(f[2]));
        m.put("peakRssKb", Long.parseLong(f[3]));
        m.put("rssAnonKb", Long.parseLong(f[4]));
        m.put("rssFileKb", Long.parseLong(f[5]));
        return m;
    }
}
