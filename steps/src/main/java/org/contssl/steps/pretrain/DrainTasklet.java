package org.contssl.steps.pretrain;

import org.contssl.steps.outputs.JobOutputs;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * After the stream has ended, keeps sampling the frozen buffer until the step budget is spent (the reference's
 * drain phase), a slice of steps per transaction, then writes {@code checkpoint_final}.
 */
public class DrainTasklet implements Tasklet {

    private static final int STEPS_PER_COMMIT = 10;
    private final TrainingSessionHolder sessions;

    public DrainTasklet(TrainingSessionHolder sessions) {
        this.sessions = sessions;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        TrainingSession session = sessions.current();
        if (session.position() < session.plan().keptLength() * session.plan().epochs()) {
            throw new IllegalStateException("the newest valid checkpoint (" + session.lastCheckpoint() + ") lies before"
                    + " the end of the stream; restart the pretrain job so its stream step reads the rest");
        }
        long before = session.state().steps();
        boolean more = session.drain(STEPS_PER_COMMIT);
        contribution.incrementWriteCount((session.state().steps() - before) * session.plan().batch());
        if (session.stopped()) {
            // stopped on request: the step ends STOPPED (restartable) and checkpoint_final is left to the restart
            chunkContext.getStepContext().getStepExecution().setTerminateOnly();
            return RepeatStatus.FINISHED;
        }
        if (more) {
            return RepeatStatus.CONTINUABLE;
        }
        session.finish();
        var step = chunkContext.getStepContext().getStepExecution();
        JobOutputs.publish(step, JobOutputs.CHECKPOINTS, sessions.checkpointsDir().toString());
        JobOutputs.publish(step, JobOutputs.FINAL_CHECKPOINT,
                sessions.checkpointsDir().resolve(SaveSchedule.FINAL).toString());
        return RepeatStatus.FINISHED;
    }
}
