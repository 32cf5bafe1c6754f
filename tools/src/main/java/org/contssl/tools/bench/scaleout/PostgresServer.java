package org.contssl.tools.bench.scaleout;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL 15 server in a temporary directory (Debian's postgresql-15 binaries: initdb + pg_ctl, run as
 * the postgres user through runuser when the caller runs as root, since initdb refuses root). fsync is off: the data
 * is thrown away. The scale-out test and {@code bench scaleout} both start their job repository with it.
 */
public final class PostgresServer implements AutoCloseable {

    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    public static final String INSTALL = "apt-get install -y postgresql-15";
    private final Path dir;
    private final int port;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Whether Debian's postgresql-15 server binaries are installed. */
    public static boolean available() {
        return Files.isExecutable(BIN.resolve("pg_ctl")) && Files.isExecutable(BIN.resolve("initdb"));
    }

    /** Creates, starts and returns a server with an empty database {@code contssl} in a new directory under parent. */
    public static PostgresServer start(Path parent) throws Exception {
        Path dir = Files.createTempDirectory(parent, "pg");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer server = new PostgresServer(dir, port);
        if (root()) {
            exec(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            dir.toFile().setExecutable(true, false);
            for (Path p = dir.getParent(); p != null; p = p.getParent()) {
                p.toFile().setExecutable(true, false); // postgres must traverse the path to its data directory
            }
        }
        server.asPostgres(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "contssl",
                "--auth=trust", "-E", "UTF8", "--no-sync");
        server.pgCtl("start");
        server.asPostgres(BIN.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "contssl", "contssl");
        return server;
    }

    /** The JDBC URL of the database {@code contssl}. */
    public String url() {
        return url("contssl");
    }

    /** The JDBC URL of one database of this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=contssl";
    }

    /** Creates another empty database, e.g. one per measured configuration so their tables stay apart. */
    public void createDatabase(String name) throws Exception {
        asPostgres(BIN.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "contssl", name);
    }

    /** Restarts the server on the same port and data directory (connections are dropped). */
    public void restart() throws Exception {
        pgCtl("restart");
    }

    private void pgCtl(String action) throws Exception {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-w", "-m", "fast", "-o", "-c listen_addresses=127.0.0.1 -p " + port
                        + " -k " + dir + " -c fsync=off -c max_connections=200", action);
    }

    @Override
    public void close() throws Exception {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m", "immediate",
                "stop");
    }

    /** Rows of a query through psql (tab-separated), as an operator would look. */
    public List<String> psql(String sql) throws Exception {
        return psql("contssl", sql);
    }

    /** Rows of a query on one database of this server (tab-separated). */
    public List<String> psql(String database, String sql) throws Exception {
        return asPostgres(BIN.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U",
                "contssl", "-At", "-F", "\t", "-c", sql, database);
    }

    private List<String> asPostgres(String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (root()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        return exec(cmd);
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out.lines().toList();
    }
}
