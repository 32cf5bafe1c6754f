package org.contssl.reports.results;

/**
 * One child job of the pipeline as Spring Batch recorded it (summed over its steps).
 *
 * @param name        job name (lists, subsample, pretrain, probe, report)
 * @param status      BatchStatus name (COMPLETED, FAILED, ...)
 * @param exitMessage exit description, empty when none
 * @param startTime   ISO-8601 start, may be null
 * @param endTime     ISO-8601 end, may be null
 * @param wallSeconds wall time in seconds
 * @param readCount   items read
 * @param writeCount  items written
 * @param skipCount   items skipped
 * @param executions  how many executions the job instance took (1 + restarts)
 */
public record JobRecord(String name, String status, String exitMessage, String startTime, String endTime,
                        double wallSeconds, long readCount, long writeCount, long skipCount, int executions) {
}
