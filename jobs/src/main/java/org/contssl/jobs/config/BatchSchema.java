package org.contssl.jobs.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Spring Batch's own tables and sequences in a job repository: created when none exist, left alone when all do, and
 * rebuilt when only some do — what a process killed while creating them leaves on a database whose DDL is not
 * transactional (H2 commits each statement), or left by an interrupted manual setup. Spring Batch's scripts have no
 * IF NOT EXISTS, so "some" would otherwise fail every later launch.
 *
 * <p>The rebuild drops only Spring Batch's nine objects, with Spring Batch's own drop script, never anything else in
 * the database (the shared PostgreSQL also holds the partition transport's tables, and may hold other applications'),
 * and only while they hold no job instance: a partial schema with history is reported, not erased. On PostgreSQL the
 * drop and the creation run in one transaction (its DDL is transactional), so a crash in the middle leaves the old
 * state, never a new half (docs/scaling-out.md).
 */
final class BatchSchema {

    private static final Logger log = LoggerFactory.getLogger(BatchSchema.class);
    static final List<String> TABLES = List.of("BATCH_JOB_INSTANCE", "BATCH_JOB_EXECUTION",
            "BATCH_JOB_EXECUTION_PARAMS", "BATCH_STEP_EXECUTION", "BATCH_STEP_EXECUTION_CONTEXT",
            "BATCH_JOB_EXECUTION_CONTEXT");
    static final List<String> SEQUENCES = List.of("BATCH_STEP_EXECUTION_SEQ", "BATCH_JOB_EXECUTION_SEQ",
            "BATCH_JOB_INSTANCE_SEQ");

    /** The database a script is for: the suffix of Spring Batch's {@code schema-*.sql}. */
    enum Dialect {
        H2("h2"), POSTGRESQL("postgresql");

        final String script;

        Dialect(String script) {
            this.script = script;
        }
    }

    private BatchSchema() {
    }

    /**
     * Makes sure all of Spring Batch's objects exist on {@code c}; {@code where} names the database in messages.
     *
     * @throws IllegalStateException when only part of the schema exists and it already holds job instances
     */
    static void ensure(Connection c, Dialect dialect, String where) throws SQLException {
        Set<String> present = present(c);
        List<String> missing = new ArrayList<>();
        for (String name : all()) {
            if (!present.contains(name)) {
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        boolean half = missing.size() < all().size();
        if (half && present.contains("BATCH_JOB_INSTANCE") && instances(c) > 0) {
            throw new IllegalStateException("the job repository " + where + " has only part of Spring Batch's"
                    + " schema (missing " + String.join(", ", missing) + ") but already holds job history:"
                    + " restore it from a backup, or create the missing objects from Spring Batch's schema-"
                    + dialect.script + ".sql");
        }
        if (half) {
            log.warn("the job repository {} has only part of Spring Batch's schema (missing {}), as a process killed"
                    + " while creating it leaves it; it holds no job yet: creating it again", where, missing);
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            if (half) {
                populate(c, "org/springframework/batch/core/schema-drop-" + dialect.script + ".sql");
            }
            populate(c, "org/springframework/batch/core/schema-" + dialect.script + ".sql");
            c.commit();
        } catch (RuntimeException | SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Spring Batch's objects present in the connection's current schema, upper-cased. */
    static Set<String> present(Connection c) throws SQLException {
        Set<String> out = new TreeSet<>();
        String schema = c.getSchema();
        try (var rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME").toUpperCase(Locale.ROOT));
            }
        }
        // sequences from the standard view: H2's metadata does not list them as tables
        try (var q = c.prepareStatement("SELECT SEQUENCE_NAME FROM INFORMATION_SCHEMA.SEQUENCES"
                + " WHERE SEQUENCE_SCHEMA = ?")) {
            q.setString(1, schema);
            try (var rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).toUpperCase(Locale.ROOT));
                }
            }
        }
        out.retainAll(all());
        return out;
    }

    private static List<String> all() {
        List<String> all = new ArrayList<>(TABLES);
        all.addAll(SEQUENCES);
        return all;
    }

    private static long instances(Connection c) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void populate(Connection c, String script) {
        new ResourceDatabasePopulator(new ClassPathResource(script)).populate(c);
    }
}
