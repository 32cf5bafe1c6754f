-- contssl's two tables next to Spring Batch's in a shared PostgreSQL job repository (docs/scaling-out.md).
-- Workers: one row per running worker process, its heartbeat refreshed every few seconds.
CREATE TABLE IF NOT EXISTS CONTSSL_WORKER (
	WORKER_ID VARCHAR(200) NOT NULL PRIMARY KEY,
	THREADS INT NOT NULL,
	BUSY INT NOT NULL DEFAULT 0,
	STARTED TIMESTAMP NOT NULL,
	HEARTBEAT TIMESTAMP NOT NULL
);
-- Claims: which process runs which partition step execution; the primary key makes a claim exclusive.
CREATE TABLE IF NOT EXISTS CONTSSL_PARTITION_CLAIM (
	STEP_EXECUTION_ID BIGINT NOT NULL PRIMARY KEY,
	WORKER_ID VARCHAR(200) NOT NULL,
	CLAIMED TIMESTAMP NOT NULL
);
