package org.contssl.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.contssl.steps.workdir.Workdir;
import org.contssl.tools.bench.scaleout.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job repository with only part of Spring Batch's schema — what a process killed while creating it leaves — is
 * rebuilt, dropping Spring Batch's own objects only; one that already holds jobs is reported, not erased. On a real
 * PostgreSQL 15 server (skipped where it is not installed) and on a workdir's H2 file.
 */
class BatchSchemaTest {

    @TempDir
    Path dir;

    @Test
    void aHalfCreatedSchemaOnPostgresqlIsRebuiltAndNothingElseIsDropped() throws Exception {
        assumeTrue(PostgresServer.available(), "PostgreSQL 15 is not installed (" + PostgresServer.INSTALL + ")");
        try (PostgresServer postgres = PostgresServer.start(dir)) {
            postgres.createDatabase("half");
            // the first statements of Spring Batch's script, then the kill; plus someone else's table and data
            postgres.psql("half", "CREATE TABLE BATCH_JOB_INSTANCE (JOB_INSTANCE_ID BIGINT PRIMARY KEY);"
                    + " CREATE SEQUENCE BATCH_JOB_INSTANCE_SEQ; CREATE TABLE OTHER_APP (X INT);"
                    + " INSERT INTO OTHER_APP VALUES (42)");

            JobDatabase.pool(postgres.url("half"));

            try (Connection c = DriverManager.getConnection(postgres.url("half"))) {
                assertThat(BatchSchema.present(c)).hasSize(9);
            }
            // Spring Batch's own columns are there (the stub table was replaced), the other table is untouched
            assertThat(postgres.psql("half", "SELECT COUNT(*) FROM information_schema.columns WHERE table_name ="
                    + " 'batch_job_instance'")).containsExactly("4");
            assertThat(postgres.psql("half", "SELECT X FROM OTHER_APP")).containsExactly("42");
            assertThat(postgres.psql("half", "SELECT COUNT(*) FROM pg_tables WHERE tablename ="
                    + " 'int_channel_message'")).containsExactly("1");

            // a partial schema that already holds a job instance is not erased
            postgres.createDatabase("history");
            postgres.psql("history", "CREATE TABLE BATCH_JOB_INSTANCE (JOB_INSTANCE_ID BIGINT PRIMARY KEY);"
                    + " INSERT INTO BATCH_JOB_INSTANCE VALUES (1)");
            assertThatThrownBy(() -> JobDatabase.pool(postgres.url("history")))
                    .hasMessageContaining("has only part of Spring Batch's schema")
                    .hasMessageContaining("BATCH_JOB_EXECUTION");
            assertThat(postgres.psql("history", "SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")).containsExactly("1");

            // a complete schema is left alone: its rows survive a second process connecting
            postgres.psql("half", "INSERT INTO BATCH_JOB_INSTANCE VALUES (7, 0, 'job', 'key')");
            try (Connection c = DriverManager.getConnection(postgres.url("half"))) {
                BatchSchema.ensure(c, BatchSchema.Dialect.POSTGRESQL, "half");
            }
            assertThat(postgres.psql("half", "SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")).containsExactly("1");
        }
    }

    @Test
    void aHalfCreatedSchemaInAWorkdirsH2FileIsRebuilt() throws Exception {
        Workdir workdir = new Workdir(dir.resolve("w"));
        workdir.create(workdir.root());
        try (Connection c = DriverManager.getConnection(workdir.jdbcUrl(), "sa", "")) {
            c.createStatement().execute("CREATE TABLE BATCH_JOB_INSTANCE (JOB_INSTANCE_ID BIGINT PRIMARY KEY)");
            c.createStatement().execute("CREATE SEQUENCE BATCH_STEP_EXECUTION_SEQ");
        }
        try (JobDatabase.Opened opened = JobDatabase.open(workdir);
             Connection c = opened.dataSource().getConnection()) {
            assertThat(BatchSchema.present(c)).hasSize(9);
            List<String> columns = new ArrayList<>();
            try (var rs = c.getMetaData().getColumns(null, null, "BATCH_JOB_INSTANCE", null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
            assertThat(columns).contains("JOB_NAME", "JOB_KEY");
        }
    }
}
