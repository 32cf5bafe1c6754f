package org.contssl.steps.probe;

import java.io.IOException;
import org.contssl.steps.stop.StopRequest;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** The work of one probe partition (see {@link ProbeRunner}). */
public class ProbePartitionTasklet implements Tasklet {

    private final ProbeRunner runner;
    private final String targetJson;

    public ProbePartitionTasklet(ProbeRunner runner, String targetJson) {
        this.runner = runner;
        this.targetJson = targetJson;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        if (StopRequest.requested()) {
            // a stop was asked for: partitions in flight finish, this one is left STOPPED and runs on restart
            chunkContext.getStepContext().getStepExecution().setTerminateOnly();
            return RepeatStatus.FINISHED;
        }
        ProbeTarget target = ProbeRunner.JSON.readValue(targetJson, ProbeTarget.class);
        ProbeResult result = runner.run(target);
        contribution.incrementReadCount();
        contribution.incrementWriteCount(result.records().size());
        return RepeatStatus.FINISHED;
    }
}
