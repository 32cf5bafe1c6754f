package org.contssl.steps.outputs;

import java.util.Map;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.job.JobParametersExtractor;

/**
 * Parameters of a child job: the pipeline's identifying parameters (workdir, config hash — one child
 * instance per experiment, so a restart resumes that instance) plus the outputs published so far by the
 * earlier children, as non-identifying strings.
 */
public class ChildJobParameters implements JobParametersExtractor {

    @Override
    public JobParameters getJobParameters(Job job, StepExecution stepExecution) {
        JobParametersBuilder builder = new JobParametersBuilder();
        for (JobParameter<?> p : stepExecution.getJobParameters()) {
            if (p.identifying()) {
                builder.addJobParameter(p);
            }
        }
        for (Map.Entry<String, Object> e : stepExecution.getJobExecution().getExecutionContext().entrySet()) {
            if (e.getKey().startsWith(JobOutputs.PREFIX)) {
                builder.addString(e.getKey(), String.valueOf(e.getValue()), false);
            }
        }
        return builder.toJobParameters();
    }
}
