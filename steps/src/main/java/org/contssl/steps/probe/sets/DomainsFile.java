package org.contssl.steps.probe.sets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.Sidecars;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.lists.stream.StreamPlanner;
import org.contssl.steps.config.RunConfig;

/**
 * {@code data.domains}: named domains over the user's own ordered stream, each a slice {@code [start, end)} of
 * post-subsample stream positions with its own labelled probe lists, so a user's stream gets the accuracy matrix and
 * forgetting of the built-in domains stream (docs/your-own-data.md, Domains; docs/reference-system.md §9.3–9.4). One
 * domain per line, {@code key=value} tokens; {@code #} starts a comment; relative paths resolve against the file's
 * directory:
 * <pre>
 * name=D0 start=0 end=2500 train_filelist=d0/train.txt val_filelist=d0/val.txt [base_dir=images]
 * </pre>
 * Checked in full before any job starts ({@link #validate}; a problem names the file and line, exit 6). The lists job
 * ({@link #apply}) writes each domain's probe lists, records the slices in the stream's sidecar (so training saves a
 * checkpoint at each boundary) and adds the domains to the stream plan (so the probe step fills the matrix).
 */
public final class DomainsFile {

    /** One domain of the file. */
    public record Domain(String name, long start, long end, Path train, Path val, Path baseDir, int line) {
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Set<String> KEYS = Set.of("name", "start", "end", "train_filelist", "val_filelist",
            "base_dir");
    private static final String PREFIX = "domain-probe-";

    private DomainsFile() {
    }

    /** Parses {@code file}: syntax, names, ordered non-overlapping slices; does not read the probe lists. */
    public static List<Domain> parse(Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(f)) {
            throw new ProbeInputException(f, -1, "does not exist (data.domains)", "give the domains file's path");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProbeInputException(f, -1, "cannot be read: " + e.getMessage(), "check its permissions");
        }
        List<Domain> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).replaceFirst("#.*", "").strip();
            if (text.isEmpty()) {
                continue;
            }
            Domain d = domain(f, i + 1, text);
            if (!names.add(d.name())) {
                throw new ProbeInputException(f, i + 1, "domain " + d.name() + " is named twice", "rename one");
            }
            if (!out.isEmpty() && d.start() < out.get(out.size() - 1).end()) {
                throw new ProbeInputException(f, i + 1, "domain " + d.name() + " starts at " + d.start()
                        + ", before the previous domain ends (" + out.get(out.size() - 1).end() + ")",
                        "list the domains in stream order, without overlaps");
            }
            out.add(d);
        }
        if (out.size() < 2) {
            throw new ProbeInputException(f, -1, "names " + out.size() + " domain(s)",
                    "a domains file needs at least two domains, one per line");
        }
        return out;
    }

    /** With {@code data.domains} set: parses the file and checks the slices against the stream and every list. */
    public static void validate(RunConfig config) {
        String file = config.data().domains();
        if (file.isBlank()) {
            return;
        }
        List<Domain> domains = parse(Path.of(file));
        long length = streamLength(config);
        Domain last = domains.get(domains.size() - 1);
        if (length >= 0 && last.end() > length) {
            throw new ProbeInputException(Path.of(file).toAbsolutePath().normalize(), last.line(), "domain "
                    + last.name() + " ends at " + last.end() + " but the stream has " + length
                    + " positions after data.subsample=" + config.data().subsample(),
                    "give post-subsample stream positions");
        }
        for (Domain d : domains) {
            UserProbeSets.check(source(Path.of(file), d));
        }
    }

    /**
     * After the stream plan: writes the domains' probe lists, puts the slices (in the stream list's own positions)
     * in its sidecar and rewrites the plan with the domain probes; returns the plan as the later steps read it.
     */
    public static StreamPlan apply(RunConfig config, Path listsDir, StreamPlan plan) {
        String file = config.data().domains();
        if (file.isBlank()) {
            return plan;
        }
        List<Domain> domains = parse(Path.of(file));
        int k = config.data().subsample();
        List<ProbeSet> probes = new ArrayList<>();
        List<ListMetadata.DomainSpan> spans = new ArrayList<>();
        for (Domain d : domains) {
            probes.add(UserProbeSets.materialize(source(Path.of(file), d), listsDir, PREFIX));
            // the sidecar holds positions of the list before subsampling, which thins them back to these
            spans.add(new ListMetadata.DomainSpan(d.name(), Math.min(d.start() * k, plan.streamLength()),
                    Math.min(d.end() * k, plan.streamLength()), "stream [" + d.start() + ", " + d.end() + ")"));
        }
        Path sidecar = Sidecars.isSidecar(plan.streamList()) ? plan.streamList() : Sidecars.sidecarOf(plan.streamList());
        Sidecars.write(sidecar, Sidecars.read(sidecar).toBuilder().domains(spans).build());
        Map<String, ProbeSet> byName = new LinkedHashMap<>(plan.probes());
        StreamPlan out = new StreamPlan(plan.streamList(), plan.streamLength(), plan.source(), plan.kind(), plan.seed(),
                plan.clipLength(), null, byName, probes, spans, plan.notes(), plan.imagesExported(),
                plan.framesRendered(), plan.seconds(), plan.requestFingerprint());
        try {
            AtomicFiles.write(listsDir.resolve(StreamPlanner.PLAN_FILE), Sidecars.MAPPER.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + listsDir.resolve(StreamPlanner.PLAN_FILE), e);
        }
        return out;
    }

    private static UserProbeSets.Source source(Path file, Domain d) {
        return new UserProbeSets.Source(d.name(), ProbeSet.IN_DISTRIBUTION, d.train(), d.val(), d.baseDir(), 0,
                file.toAbsolutePath().normalize() + " line " + d.line() + ": ");
    }

    /** The stream's post-subsample length, or -1 when the list cannot be opened (its own check reports that). */
    private static long streamLength(RunConfig config) {
        RunConfig.Data data = config.data();
        try (MemmapList list = MemmapList.open(Path.of(data.trainFilelist()))) {
            return (list.size() + data.subsample() - 1) / data.subsample();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Domain domain(Path f, int line, String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String token : text.split("\\s+")) {
            int eq = token.indexOf('=');
            String key = eq < 0 ? token : token.substring(0, eq);
            if (eq <= 0 || !KEYS.contains(key)) {
                throw new ProbeInputException(f, line, "'" + token + "' is not key=value with a key of " + KEYS,
                        "write e.g. name=D0 start=0 end=1000 train_filelist=a.txt val_filelist=b.txt");
            }
            kv.put(key, token.substring(eq + 1));
        }
        for (String key : List.of("name", "start", "end", "train_filelist", "val_filelist")) {
            if (kv.getOrDefault(key, "").isEmpty()) {
                throw new ProbeInputException(f, line, "lacks " + key + "=", "every domain needs name, start, end,"
                        + " train_filelist and val_filelist");
            }
        }
        String name = kv.get("name");
        if (!NAME.matcher(name).matches()) {
            throw new ProbeInputException(f, line, "invalid domain name '" + name + "'",
                    "use letters, digits, '_' or '-', starting with a letter");
        }
        long start = position(f, line, "start", kv.get("start"));
        long end = position(f, line, "end", kv.get("end"));
        if (end <= start) {
            throw new ProbeInputException(f, line, "domain " + name + " is empty: [" + start + ", " + end + ")",
                    "end must be greater than start");
        }
        Path dir = f.getParent();
        Path base = kv.containsKey("base_dir") ? dir.resolve(kv.get("base_dir")).normalize() : null;
        return new Domain(name, start, end, dir.resolve(kv.get("train_filelist")).normalize(),
                dir.resolve(kv.get("val_filelist")).normalize(), base, line);
    }

    private static long position(Path f, int line, String key, String value) {
        try {
            long v = Long.parseLong(value);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProbeInputException(f, line, key + "=" + value + " is not a stream position",
                "give a whole number >= 0 (post-subsample)");
    }
}
