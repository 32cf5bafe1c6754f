package org.contssl.jobs.remote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.contssl.jobs.config.JobDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Runs the partitions of a step on whatever workers are alive (remote partitioning over {@link PartitionTransport}),
 * or in this process as before when none has a free slot. Completion is read from the job repository, as Spring
 * Batch's repository-polling manager does; on top of that this handler watches the workers' heartbeats:
 * <ul>
 *   <li>a partition claimed by a worker whose heartbeat went stale (kill -9) is released and sent again, so another
 *   worker — or this process — runs it; partitions that completed are never sent again;</li>
 *   <li>a request nobody claims while no live worker has a free slot (all busy with sweep cells, or all gone), or
 *   that nobody claims for a minute, is claimed and run here, so a run never waits on workers that cannot come.</li>
 * </ul>
 * Partition results are identical wherever they run: a partition reads only its execution context and the
 * workdir, which all participants share.
 */
public final class DistributedPartitionHandler implements PartitionHandler {

    private static final Logger log = LoggerFactory.getLogger(DistributedPartitionHandler.class);
    private static final long POLL_MILLIS = 500;
    /** Default of {@code --worker-wait}: long enough for an idle worker's 0.5 s poll, short next to a partition. */
    public static final double DEFAULT_WORKER_WAIT_S = 3.0;
    private static volatile long workerWaitMillis = Math.round(DEFAULT_WORKER_WAIT_S * 1000);
    /** A request no live worker takes within a minute (an old worker that cannot read it) runs here. */
    private static final int UNCLAIMED_POLLS_ALWAYS_LOCAL = 120;
    private final TaskExecutorPartitionHandler local;
    private final Step step;
    private final AsyncTaskExecutor executor;
    private final JobRepository repository;
    private final PartitionTransport transport;
    private final boolean helpBusyWorkers;

    private DistributedPartitionHandler(Step step, AsyncTaskExecutor executor, JobRepository repository,
                                        PartitionTransport transport, boolean helpBusyWorkers) throws Exception {
        this.helpBusyWorkers = helpBusyWorkers;
        this.step = step;
        this.executor = executor;
        this.repository = repository;
        this.transport = transport;
        this.local = localHandler(step, executor);
    }

    /**
     * The partition handler of {@code step}: Spring Batch's own thread-pool handler when the job repository is a
     * workdir's H2 file (single machine, behaviour unchanged), this distributing handler with a shared database.
     *
     * @param helpBusyWorkers run a waiting partition here as soon as every live worker is busy (short partitions
     *                        that a busy worker may itself be waiting for: probes inside sweep cells), rather than only
     *                        when no worker is alive (long partitions worth queueing for: sweep cells)
     */
    public static PartitionHandler of(Step step, AsyncTaskExecutor executor, JobRepository repository,
                                      boolean helpBusyWorkers) {
        try {
            var transport = PartitionTransport.current();
            return transport.isPresent()
                    ? new DistributedPartitionHandler(step, executor, repository, transport.get(), helpBusyWorkers)
                    : localHandler(step, executor);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the partition handler of " + step.getName(), e);
        }
    }

    /**
     * How long a partition request may stay unclaimed before this process considers running it itself (when no
     * live worker has a free slot; docs/scaling-out.md, "What runs where"). Process-wide, set by the
     * {@code --worker-wait} option: 0 runs it here at the first poll that finds no free worker; a longer wait suits
     * workers whose polls are slowed by a distant database.
     */
    public static void workerWait(double seconds) {
        if (!(seconds >= 0) || seconds > 3600) {
            throw new IllegalArgumentException("--worker-wait must be between 0 and 3600 seconds, got " + seconds);
        }
        workerWaitMillis = Math.round(seconds * 1000);
    }

    private static TaskExecutorPartitionHandler localHandler(Step step, AsyncTaskExecutor executor) throws Exception {
        TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
        handler.setStep(step);
        handler.setTaskExecutor(executor);
        handler.afterPropertiesSet();
        return handler;
    }

    @Override
    public Collection<StepExecution> handle(StepExecutionSplitter splitter, StepExecution managerStepExecution)
            throws Exception {
        if (transport.registry().idleSlots() == 0) {
            log.info("{}: no worker has a free slot; partitions run in this process",
                    managerStepExecution.getStepName());
            return local.handle(splitter, managerStepExecution);
        }
        Set<StepExecution> partitions = splitter.split(managerStepExecution, 1);
        for (StepExecution partition : partitions) {
            transport.send(step.getName(), partition.getId());
        }
        log.info("{}: {} partition(s) sent to the workers", managerStepExecution.getStepName(), partitions.size());
        return await(partitions);
    }

    private Collection<StepExecution> await(Set<StepExecution> partitions) throws Exception {
        String self = JobDatabase.processName();
        Map<Long, StepExecution> pending = new LinkedHashMap<>();
        partitions.forEach(p -> pending.put(p.getId(), p));
        Map<Long, Future<StepExecution>> runningHere = new LinkedHashMap<>();
        Map<Long, Integer> unclaimedPolls = new LinkedHashMap<>();
        Collection<StepExecution> done = new ArrayList<>();
        while (!pending.isEmpty()) {
            Thread.sleep(POLL_MILLIS);
            int idle = -1;
            for (Long id : new ArrayList<>(pending.keySet())) {
                Future<StepExecution> here = runningHere.get(id);
                if (here != null) {
                    if (here.isDone()) {
                        done.add(here.get());
                        pending.remove(id);
                    }
                    continue;
                }
                StepExecution current = repository.getStepExecution(id);
                if (current != null && !current.getStatus().isRunning()) {
                    done.add(current);
                    pending.remove(id);
                    transport.registry().release(id);
                    continue;
                }
                var claimant = transport.registry().claimant(id);
                if (claimant.isPresent()) {
                    unclaimedPolls.remove(id);
                    if (!transport.registry().alive(claimant.get())) {
                        log.warn("worker {} stopped sending heartbeats while running partition {}; sending it again",
                                claimant.get(), pending.get(id).getStepName());
                        transport.registry().release(id);
                        transport.send(step.getName(), id);
                    }
                    continue;
                }
                int polls = unclaimedPolls.merge(id, 1, Integer::sum);
                boolean busyHere = runningHere.values().stream().anyMatch(f -> !f.isDone());
                if (busyHere || (long) polls * POLL_MILLIS < workerWaitMillis) {
                    continue; // one partition at a time here, so the executor never blocks this loop
                }
                if (idle < 0) {
                    idle = helpBusyWorkers ? transport.registry().idleSlots()
                            : (int) transport.registry().workers().stream().filter(WorkerRegistry.Worker::alive).count();
                }
                boolean takeOver = idle == 0 || helpBusyWorkers && polls >= UNCLAIMED_POLLS_ALWAYS_LOCAL;
                if (takeOver && transport.registry().claim(id, self)) {
                    log.info("no worker took partition {}: running it in this process", pending.get(id).getStepName());
                    StepExecution execution = current != null ? current : pending.get(id);
                    runningHere.put(id, executor.submit(() -> runHere(execution)));
                }
            }
        }
        return done;
    }

    private StepExecution runHere(StepExecution execution) {
        try {
            step.execute(execution);
        } catch (Exception e) {
            execution.setStatus(BatchStatus.FAILED);
            execution.addFailureException(e);
        } finally {
            transport.registry().release(execution.getId());
        }
        return execution;
    }
}
