package org.contssl.steps.lists;

import java.util.ArrayList;
import java.util.List;
import org.contssl.lists.MemmapList;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.lists.stream.StreamPlanner;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.outputs.JobOutputs;
import org.contssl.steps.probe.sets.DomainsFile;
import org.contssl.steps.probe.sets.SeenDomains;
import org.contssl.steps.probe.sets.UserProbeSets;
import org.contssl.steps.workdir.Workdir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code lists} job: exports the source images to files in the workdir and builds the stream list
 * (memmap + labels + sidecar), the held-out probe lists, the lists of the user's own probe sets and those of a
 * {@code data.domains} file. Rebuilding is idempotent: a completed plan with
 * the same request is reused, so a restart after a crash here costs little.
 */
public class ListsTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ListsTasklet.class);
    private final RunConfig config;
    private final Workdir workdir;

    public ListsTasklet(RunConfig config, Workdir workdir) {
        this.config = config;
        this.workdir = workdir;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        StreamPlan plan = DomainsFile.apply(config, workdir.listsDir(),
                StreamPlanner.build(StreamRequests.of(config, workdir)));
        log.info("lists: {} stream of {} records from {} -> {} ({} images exported, {} frames rendered, {} s)",
                plan.kind(), plan.streamLength(), plan.source(), plan.streamList(), plan.imagesExported(),
                plan.framesRendered(), String.format("%.1f", plan.seconds()));
        plan.notes().forEach(n -> log.info("lists: {}", n));
        List<ProbeSet> sets = new ArrayList<>(plan.probes().values());
        sets.addAll(plan.domainProbes());
        for (ProbeSet set : SeenDomains.write(plan, workdir.listsDir())) {
            sets.add(set);
            log.info("lists: headline probe {} over {} classes: {} train / {} val images", set.trainList()
                    .getFileName(), set.numClasses(), set.trainCount(), set.testCount());
        }
        for (ProbeSet set : UserProbeSets.materialize(config, workdir.listsDir())) {
            log.info("lists: probe set {} ({}): {} train / {} val images, {} classes", set.name(), set.role(),
                    set.trainCount(), set.testCount(), set.numClasses());
            sets.add(set);
        }
        // bad probe images are found now, not after pretraining (docs/failures.md)
        ProbeImageCheck check = new ProbeImageCheck(config, workdir.skippedCsv());
        int skipped = check.probeSets(sets);
        try (MemmapList stream = MemmapList.open(plan.streamList())) {
            check.streamSample(stream);
        }
        if (skipped > 0) {
            contribution.incrementFilterCount(skipped);
        }
        contribution.incrementWriteCount(plan.streamLength());
        var step = chunkContext.getStepContext().getStepExecution();
        JobOutputs.publish(step, JobOutputs.STREAM_LIST, plan.streamList().toString());
        JobOutputs.publish(step, JobOutputs.PROBE_SETS, workdir.listsDir().resolve(StreamPlanner.PLAN_FILE).toString());
        return RepeatStatus.FINISHED;
    }
}
