package org.contssl.lists.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.Sidecars;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade the {@code lists} job calls: turns a {@link StreamRequest} into the training stream list and the probe
 * lists, exporting (or rendering) exactly the image files they name. Each stream kind is built by its own
 * {@link StreamKindPlanner}; probes come from {@link ProbeSelection}, the datasets from {@link SourcePools}.
 *
 * <p>Selection is by construction deterministic for a seed: each pool is permuted once with a seed derived from
 * (run seed, pool); held-out probe images are taken from the front of that permutation and the stream's source
 * images from what follows, so probes never depend on the stream kind or size, and a sequential stream with
 * {@code L = 1} is the i.i.d. stream record for record.
 *
 * <p>Restartable: every file is written atomically, exported files that exist are reused, and {@code plan.json} is
 * written last; calling {@link #build} again with the same request returns the stored plan when all its files exist
 * (see {@code docs/design.md} for the restart rule).
 */
public final class StreamPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPlanner.class);

    public static final String PLAN_FILE = "plan.json";
    public static final String STREAM_LIST = "stream.memmap";

    /** Every stream kind's planner; the first that accepts a request builds it. A new kind adds one line here. */
    static final List<StreamKindPlanner> PLANNERS = List.of(
            new OwnListPlanner(),
            new TextListPlanner(),
            new FrameListPlanner(),
            new ClassSequentialPlanner(),
            new IidStreamPlanner(),
            new OrderedStreamPlanner(),
            new SequentialClipsPlanner(),
            new DomainsPlanner());

    private StreamPlanner() {
    }

    /** Builds (or reuses) the plan for {@code req}. */
    public static StreamPlan build(StreamRequest req) {
        String fingerprint = PlanFingerprint.of(req);
        Path planFile = req.listsDir().resolve(PLAN_FILE);
        StreamPlan old = readPlanQuietly(planFile);
        if (old != null && fingerprint.equals(old.requestFingerprint()) && old.filesExist()) {
            LOG.info("lists: reusing the completed plan {}", planFile);
            return old;
        }
        if (old != null) {
            LOG.info("lists: rebuilding {} ({})", planFile, fingerprint.equals(old.requestFingerprint())
                    ? "some of its files are missing" : "the request changed");
        }
        StreamKindPlanner planner = plannerFor(req);
        try {
            Files.createDirectories(req.listsDir());
            Files.createDirectories(req.dataDir());
            Files.deleteIfExists(planFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + req.listsDir() + ": " + e.getMessage(), e);
        }
        StreamPlan plan = planner.build(new PlanContext(req, fingerprint));
        try {
            AtomicFiles.write(planFile, Sidecars.MAPPER.writeValueAsBytes(plan));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + planFile, e);
        }
        LOG.info("lists: {} stream of {} images from {} in {} s ({} images exported, {} frames rendered)",
                plan.kind(), plan.streamLength(), plan.source(), String.format("%.1f", plan.seconds()),
                plan.imagesExported(), plan.framesRendered());
        return plan;
    }

    /** Reads the plan a completed {@code lists} job left in {@code listsDir}. */
    public static StreamPlan readPlan(Path listsDir) {
        Path f = listsDir.resolve(PLAN_FILE);
        try {
            return Sidecars.MAPPER.readValue(f.toFile(), StreamPlan.class);
        } catch (IOException e) {
            throw ListFormatException.ofFile(Problem.MISSING_FILE, f, "cannot read the stream plan (" + e.getMessage()
                    .split("\n")[0] + ")", "run the lists job again");
        }
    }

    static StreamKindPlanner plannerFor(StreamRequest req) {
        for (StreamKindPlanner p : PLANNERS) {
            if (p.accepts(req)) {
                return p;
            }
        }
        // StreamRequest.Builder rejects every combination no planner builds, so this is a programming error.
        throw new IllegalStateException("no stream planner for kind " + req.kind().id()
                + (req.isOwnList() ? " from a list" : " from " + req.source()));
    }

    private static StreamPlan readPlanQuietly(Path planFile) {
        if (!Files.isRegularFile(planFile)) {
            return null;
        }
        try {
            return Sidecars.MAPPER.readValue(planFile.toFile(), StreamPlan.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("lists: ignoring unreadable plan {} ({}); rebuilding", planFile, e.getMessage());
            return null;
        }
    }
}
