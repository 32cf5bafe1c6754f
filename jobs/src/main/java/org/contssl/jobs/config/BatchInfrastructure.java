package org.contssl.jobs.config;

import javax.sql.DataSource;
import org.contssl.steps.workdir.Workdir;
import org.h2.jdbcx.JdbcConnectionPool;
import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.EnableJdbcJobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The JobRepository lives in an H2 <em>file</em> database inside the workdir: job and step executions
 * and their execution contexts survive crashes, so restart and status work across processes.
 * ({@code @EnableBatchProcessing} alone would give a resourceless repository that persists nothing.)
 */
@Configuration
@EnableBatchProcessing
@EnableJdbcJobRepository
public class BatchInfrastructure {

    @Bean(destroyMethod = "dispose")
    public JdbcConnectionPool dataSource(Workdir workdir) {
        workdir.create(workdir.root());
        JdbcConnectionPool pool = JdbcConnectionPool.create(workdir.jdbcUrl(), "sa", "");
        pool.setMaxConnections(16);
        createSchemaIfMissing(pool);
        return pool;
    }

    @Bean
    public JdbcTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    /** Spring Batch's H2 schema has no IF NOT EXISTS, so it is applied only to a new database. */
    private static void createSchemaIfMissing(DataSource dataSource) {
        try (var connection = dataSource.getConnection();
             var tables = connection.getMetaData().getTables(null, null, "BATCH_JOB_INSTANCE", null)) {
            if (!tables.next()) {
                new ResourceDatabasePopulator(
                        new ClassPathResource("org/springframework/batch/core/schema-h2.sql")).execute(dataSource);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot open the job database " + e.getMessage(), e);
        }
    }
}
