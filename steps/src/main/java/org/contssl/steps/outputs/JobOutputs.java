package org.contssl.steps.outputs;

import org.springframework.batch.core.step.StepExecution;

/**
 * Outputs a child job publishes for the next one. A step puts them into its job's execution context
 * (persisted by the job right after the step); the pipeline copies every {@code out.*} key of a finished
 * child into its own context and hands them to the next child as job parameters.
 */
public final class JobOutputs {

    public static final String PREFIX = "out.";
    /** The memmap list the next job trains on or subsamples. */
    public static final String STREAM_LIST = PREFIX + "stream_list";
    /** JSON manifest of the held-out probe sets built with the stream. */
    public static final String PROBE_SETS = PREFIX + "probe_sets";
    /** Directory of the pretraining checkpoints. */
    public static final String CHECKPOINTS = PREFIX + "checkpoints";
    /** The last checkpoint of pretraining. */
    public static final String FINAL_CHECKPOINT = PREFIX + "final_checkpoint";
    /** Directory of per-partition probe results. */
    public static final String PROBE_RESULTS = PREFIX + "probe_results";
    /** The generated report. */
    public static final String REPORT = PREFIX + "report";

    private JobOutputs() {
    }

    public static void publish(StepExecution step, String key, String value) {
        if (!key.startsWith(PREFIX)) {
            throw new IllegalArgumentException("job outputs are named out.*: " + key);
        }
        step.getJobExecution().getExecutionContext().putString(key, value);
    }
}
