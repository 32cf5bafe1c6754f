package org.contssl.jobs.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.contssl.steps.workdir.Workdir;
import org.h2.jdbcx.JdbcConnectionPool;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Where the JobRepository lives. By default an H2 file inside each workdir (one experiment, one machine); with
 * {@code --db jdbc:postgresql://…} (or the environment variable {@value #ENV}) one PostgreSQL database shared by
 * every experiment, manager and worker, which is what lets partitions and sweep cells run on other machines
 * (docs/scaling-out.md).
 *
 * <p>The selection is process-wide: a contssl process talks to one job repository. Shared pools are kept per URL for
 * the life of the process, because a worker opens one Spring context per experiment and they must not each open
 * their own connections.
 */
public final class JobDatabase {

    /** Environment variable read when a command gets no {@code --db}. */
    public static final String ENV = "CONTSSL_DB";
    private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();
    private static volatile String selected;

    private JobDatabase() {
    }

    /** Selects the shared database for this process ({@code null} or blank: the workdir's H2 file). */
    public static void use(String url) {
        if (url != null && !url.isBlank() && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db must be a jdbc:postgresql://HOST[:PORT]/DATABASE URL (user and"
                    + " password as ?user=…&password=… or PGUSER/PGPASSWORD), got " + url);
        }
        selected = url == null || url.isBlank() ? null : url;
    }

    /** The shared database URL, or {@code null} when every workdir keeps its own H2 file. */
    public static String sharedUrl() {
        return selected;
    }

    public static boolean shared() {
        return selected != null;
    }

    /** The job repository's data source for {@code workdir}, and whether the caller owns (must close) it. */
    static Opened open(Workdir workdir) {
        if (selected == null) {
            workdir.create(workdir.root());
            JdbcConnectionPool pool = JdbcConnectionPool.create(workdir.jdbcUrl(), "sa", "");
            pool.setMaxConnections(16);
            createBatchSchemaIfMissing(pool, workdir.databaseFile().toString());
            return new Opened(pool, pool::dispose);
        }
        return new Opened(pool(selected), () -> { });
    }

    /** The shared pool of {@code url}, creating Spring Batch's and the message channel's tables when missing. */
    public static DataSource pool(String url) {
        return POOLS.computeIfAbsent(url, JobDatabase::createPool);
    }

    private static HikariDataSource createPool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (System.getenv("PGUSER") != null && !url.contains("user=")) {
            config.setUsername(System.getenv("PGUSER"));
            config.setPassword(System.getenv("PGPASSWORD"));
        }
        config.setPoolName("contssl-jobs");
        config.setMaximumPoolSize(12);
        config.setMinimumIdle(1);
        // a PostgreSQL restart: callers wait up to this long for a fresh connection instead of failing at once
        config.setConnectionTimeout(60_000);
        config.setInitializationFailTimeout(30_000);
        config.setKeepaliveTime(30_000);
        HikariDataSource pool = new HikariDataSource(config);
        createSharedSchemaIfMissing(pool);
        Runtime.getRuntime().addShutdownHook(new Thread(pool::close, "contssl-db-close"));
        return pool;
    }

    /**
     * Spring Batch's and Spring Integration's PostgreSQL scripts have no IF NOT EXISTS: they are applied under an
     * advisory lock, so a manager and workers starting together against a fresh database create them exactly once.
     */
    private static void createSharedSchemaIfMissing(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            try (var s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(7031985)");
            }
            try {
                BatchSchema.ensure(c, BatchSchema.Dialect.POSTGRESQL, redacted(c));
                if (!tableExists(c, "int_channel_message")) {
                    new ResourceDatabasePopulator(new ClassPathResource(
                            "org/springframework/integration/jdbc/schema-postgresql.sql")).populate(c);
                }
                new ResourceDatabasePopulator(new ClassPathResource("org/contssl/jobs/remote/schema-postgresql.sql"))
                        .populate(c);
            } finally {
                try (var s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(7031985)");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the shared job database: " + e.getMessage(), e);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (var tables = c.getMetaData().getTables(null, null, table, null)) {
            return tables.next();
        }
    }

    /** Spring Batch's H2 schema: created in a new file, rebuilt when a killed first launch left part of it. */
    private static void createBatchSchemaIfMissing(DataSource dataSource, String file) {
        try (Connection connection = dataSource.getConnection()) {
            BatchSchema.ensure(connection, BatchSchema.Dialect.H2, file);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the job database " + e.getMessage(), e);
        }
    }

    /** The database's URL without its password, for messages. */
    private static String redacted(Connection c) throws SQLException {
        return c.getMetaData().getURL().replaceAll("password=[^&]*", "password=…");
    }

    /** This process as the job repository's tables show it: {@code host:pid}. */
    public static String processName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /** A data source and how to release it. */
    public record Opened(DataSource dataSource, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }
}
