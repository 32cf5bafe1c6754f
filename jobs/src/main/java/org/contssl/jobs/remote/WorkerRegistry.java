package org.contssl.jobs.remote;

import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Who is alive and who runs what, in two small tables of the shared database (CONTSSL_WORKER, CONTSSL_PARTITION_CLAIM).
 * Times are the database's own clock, so machines with skewed clocks agree on which heartbeat is stale.
 */
public final class WorkerRegistry {

    /** A worker whose heartbeat is older than this is taken for dead (kill -9, power loss, network cut). */
    public static final int STALE_SECONDS = 12;
    private final JdbcTemplate jdbc;

    public WorkerRegistry(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** One registered worker process as the table shows it. */
    public record Worker(String id, int threads, int busy, String started, String heartbeat, boolean alive) {
    }

    public void register(String workerId, int threads) {
        jdbc.update("INSERT INTO CONTSSL_WORKER (WORKER_ID, THREADS, BUSY, STARTED, HEARTBEAT)"
                + " VALUES (?, ?, 0, LOCALTIMESTAMP, LOCALTIMESTAMP) ON CONFLICT (WORKER_ID) DO UPDATE SET"
                + " THREADS = EXCLUDED.THREADS, BUSY = 0, STARTED = LOCALTIMESTAMP, HEARTBEAT = LOCALTIMESTAMP",
                workerId, threads);
    }

    /** Refreshes the heartbeat (re-creating the row if an operator deleted it). */
    public void heartbeat(String workerId, int threads, int busy) {
        if (jdbc.update("UPDATE CONTSSL_WORKER SET HEARTBEAT = LOCALTIMESTAMP, BUSY = ? WHERE WORKER_ID = ?",
                busy, workerId) == 0) {
            register(workerId, threads);
        }
    }

    public void unregister(String workerId) {
        jdbc.update("DELETE FROM CONTSSL_PARTITION_CLAIM WHERE WORKER_ID = ?", workerId);
        jdbc.update("DELETE FROM CONTSSL_WORKER WHERE WORKER_ID = ?", workerId);
    }

    public List<Worker> workers() {
        return jdbc.query("SELECT WORKER_ID, THREADS, BUSY, STARTED, HEARTBEAT, HEARTBEAT > LOCALTIMESTAMP - "
                + STALE_SECONDS + " * INTERVAL '1 second' AS ALIVE FROM CONTSSL_WORKER ORDER BY WORKER_ID",
                (rs, i) -> new Worker(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4),
                        rs.getString(5), rs.getBoolean(6)));
    }

    /** Partition slots free on live workers right now. */
    public int idleSlots() {
        return workers().stream().filter(Worker::alive).mapToInt(w -> Math.max(0, w.threads() - w.busy())).sum();
    }

    public boolean alive(String workerId) {
        return workers().stream().anyMatch(w -> w.alive() && w.id().equals(workerId));
    }

    /** Claims a partition for {@code workerId}; false when another process already holds it. */
    public boolean claim(long stepExecutionId, String workerId) {
        return jdbc.update("INSERT INTO CONTSSL_PARTITION_CLAIM (STEP_EXECUTION_ID, WORKER_ID, CLAIMED)"
                + " VALUES (?, ?, LOCALTIMESTAMP) ON CONFLICT DO NOTHING", stepExecutionId, workerId) == 1;
    }

    public Optional<String> claimant(long stepExecutionId) {
        return jdbc.queryForList("SELECT WORKER_ID FROM CONTSSL_PARTITION_CLAIM WHERE STEP_EXECUTION_ID = ?",
                String.class, stepExecutionId).stream().findFirst();
    }

    public void release(long stepExecutionId) {
        jdbc.update("DELETE FROM CONTSSL_PARTITION_CLAIM WHERE STEP_EXECUTION_ID = ?", stepExecutionId);
    }
}
