package org.contssl.jobs.config;

import javax.sql.DataSource;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.EnableJdbcJobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.annotation.Isolation;

/**
 * The JobRepository lives in an H2 <em>file</em> database inside the workdir, or in the shared PostgreSQL database
 * selected with {@code --db} ({@link JobDatabase}): job and step executions and their execution contexts survive
 * crashes, so restart and status work across processes. ({@code @EnableBatchProcessing} alone would give a
 * resourceless repository that persists nothing.)
 *
 * <p>Job executions are created at READ_COMMITTED instead of Spring Batch's SERIALIZABLE: on PostgreSQL,
 * SERIALIZABLE makes concurrent launches of <em>different</em> job instances (sweep cells, experiments of several
 * users) fail with serialization errors. Two launches of the same instance are still kept apart by the unique
 * (JOB_NAME, JOB_KEY) constraint and by the workdir lock. H2 behaves the same at either level because a workdir's
 * file has one process at a time.
 */
@Configuration
@EnableBatchProcessing
@EnableJdbcJobRepository(isolationLevelForCreate = Isolation.READ_COMMITTED)
public class BatchInfrastructure {

    @Bean(destroyMethod = "close")
    public JobDatabase.Opened jobDatabase(Workdir workdir) {
        return JobDatabase.open(workdir);
    }

    /** Closed through {@link #jobDatabase}: a shared pool outlives this context, a workdir's H2 pool does not. */
    @Bean(destroyMethod = "")
    public DataSource dataSource(JobDatabase.Opened jobDatabase) {
        return jobDatabase.dataSource();
    }

    @Bean
    public JdbcTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }
}
