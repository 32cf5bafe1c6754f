package org.contssl.jobs.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.contssl.jobs.config.JobDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * A worker process: {@code threads} loops that take partition requests from the shared database, claim them and run
 * the named step on the request's step execution — Spring Batch's remote-partitioning worker side, with the step
 * looked up per experiment ({@link WorkerSteps}) because one worker serves every workdir. A heartbeat thread keeps the
 * worker's row fresh; if PostgreSQL goes away the loops log one line and retry until it is back.
 */
public final class PartitionWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);
    private static final long IDLE_MILLIS = 500;
    private static final long HEARTBEAT_MILLIS = 2000;
    private final PartitionTransport transport;
    private final JobRepository repository;
    private final WorkerSteps steps;
    private final int threads;
    private final String id;
    private final AtomicInteger busy = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean running = true;

    public PartitionWorker(PartitionTransport transport, JobRepository repository, WorkerSteps steps, int threads) {
        this.transport = transport;
        this.repository = repository;
        this.steps = steps;
        this.threads = threads;
        this.id = JobDatabase.processName();
    }

    public String id() {
        return id;
    }

    /** Registers and starts the loops; returns at once. */
    public void start() {
        transport.registry().register(id, threads);
        Thread heartbeat = new Thread(this::heartbeats, "worker-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
        for (int i = 0; i < threads; i++) {
            Thread loop = new Thread(this::work, "worker-" + i);
            loop.start();
            loops.add(loop);
        }
        log.info("worker {} started with {} thread(s)", id, threads);
    }

    /** Blocks until {@link #close} (a shutdown hook in the CLI). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void heartbeats() {
        boolean failing = false;
        while (running) {
            try {
                transport.registry().heartbeat(id, threads, busy.get());
                if (failing) {
                    log.info("worker {}: job database reachable again", id);
                }
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("worker {}: cannot reach the job database ({}); retrying", id, e.getMessage());
                }
                failing = true;
            }
            sleep(HEARTBEAT_MILLIS);
        }
    }

    private void work() {
        boolean failing = false;
        while (running) {
            PartitionTransport.Taken taken;
            try {
                taken = transport.take(id, this::waiting);
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("worker {}: cannot poll for partitions ({}); retrying", id, e.getMessage());
                }
                failing = true;
                sleep(IDLE_MILLIS * 4);
                continue;
            }
            if (taken == null) {
                sleep(IDLE_MILLIS);
            } else if (taken.claimed()) {
                run(taken.request().getStepName(), taken.request().getStepExecutionId());
            }
        }
    }

    /** A request is worth running only while its partition and its job are still running. */
    private boolean waiting(long stepExecutionId) {
        StepExecution execution = repository.getStepExecution(stepExecutionId);
        return execution != null && execution.getStatus().isRunning()
                && execution.getJobExecution().getStatus().isRunning();
    }

    private void run(String stepName, long stepExecutionId) {
        busy.incrementAndGet();
        try {
            transport.registry().heartbeat(id, threads, busy.get());
            StepExecution execution = repository.getStepExecution(stepExecutionId);
            log.info("worker {}: running {} ({})", id, execution.getStepName(), stepName);
            steps.locate(stepName, execution).execute(execution);
            log.info("worker {}: {} {}", id, execution.getStepName(), execution.getStatus());
        } catch (Exception e) {
            log.error("worker {}: partition {} could not run: {}", id, stepExecutionId, e.getMessage(), e);
            failQuietly(stepExecutionId, e);
        } finally {
            busy.decrementAndGet();
            try {
                transport.registry().release(stepExecutionId);
            } catch (RuntimeException e) {
                log.warn("worker {}: cannot release partition {}: {}", id, stepExecutionId, e.getMessage());
            }
        }
    }

    /** A step that could not even be located must still end, or its manager would wait for it forever. */
    private void failQuietly(long stepExecutionId, Exception cause) {
        try {
            StepExecution execution = repository.getStepExecution(stepExecutionId);
            if (execution != null && execution.getStatus().isRunning()) {
                execution.setStatus(BatchStatus.FAILED);
                execution.setExitStatus(org.springframework.batch.core.ExitStatus.FAILED
                        .addExitDescription(cause));
                execution.setEndTime(java.time.LocalDateTime.now());
                repository.update(execution);
            }
        } catch (RuntimeException e) {
            log.warn("worker {}: cannot mark partition {} FAILED: {}", id, stepExecutionId, e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : loops) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            transport.registry().unregister(id);
        } catch (RuntimeException e) {
            log.warn("worker {}: cannot unregister: {}", id, e.getMessage());
        }
        stopped.countDown();
    }
}
