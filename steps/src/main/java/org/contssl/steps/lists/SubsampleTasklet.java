package org.contssl.steps.lists;

import java.nio.file.Path;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.Subsample;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.outputs.JobOutputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code subsample} job: keeps every k-th record of the stream ({@code data.subsample}) into a new list.
 * Every later consumer — buffer entries, statistics, checkpoints — sees positions in this list, so the
 * reference's index mismatch (docs/reference-system.md §7.7, MinRed silently degrading to FIFO) cannot happen.
 */
public class SubsampleTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(SubsampleTasklet.class);
    private final RunConfig config;
    private final String streamList;

    public SubsampleTasklet(RunConfig config, String streamList) {
        this.config = config;
        this.streamList = streamList;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        int k = config.data().subsample();
        Path source = Path.of(streamList);
        Path result = source;
        if (k > 1) {
            String name = source.getFileName().toString().replaceFirst("\\.memmap$", "");
            result = source.resolveSibling(name + "_sub" + k + ".memmap");
            ListMetadata meta = Subsample.apply(source, k, result);
            log.info("subsample: kept every {}th record: {} -> {} records ({})", k, meta.count() * k, meta.count(),
                    result);
        }
        try (MemmapList list = MemmapList.open(result)) {
            contribution.incrementWriteCount(list.size());
        }
        JobOutputs.publish(chunkContext.getStepContext().getStepExecution(), JobOutputs.STREAM_LIST, result.toString());
        return RepeatStatus.FINISHED;
    }
}
