package dev.eventsource.store.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own, for tests that stop the server for real (the shared test
 * server is never stopped): created with {@code initdb} in a fresh directory under {@code target/},
 * started with {@code pg_ctl} on a free port on 127.0.0.1, and deleted by {@link #close()} (or at
 * JVM exit if the test never gets there). Superuser {@code postgres}, trust authentication.
 *
 * <p>initdb and postgres refuse to run as root: when the JVM runs as root they run as the OS user
 * {@code postgres}, who then owns the directory; otherwise as the JVM's user. Missing binaries or a
 * missing {@code postgres} user fail the test (it never skips).
 *
 * <pre>{@code
 * try (ThrowawayCluster cluster = ThrowawayCluster.create()) {
 *     HikariDataSource pool = PgTestDatabase.pool(cluster.url(), "es_t_restart", 10, config -> { });
 *     cluster.stop();                              // every connection breaks, new ones are refused
 *     cluster.start();                             // same port, same data
 * }
 * }</pre>
 *
 * <p>Threading: meant for one test thread; the methods are synchronized because {@link #close()}
 * may also run from the JVM's shutdown hook.
 */
public final class ThrowawayCluster implements AutoCloseable {

    /** The OS user that runs initdb and postgres when the JVM runs as root. */
    private static final String OS_USER_FOR_ROOT = "postgres";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path directory;
    private final Path data;
    private final int port;
    private final Thread shutdownHook = new Thread(this::closeQuietly, "throwaway-cluster-cleanup");
    private boolean closed;

    private ThrowawayCluster(Path bin, Path directory, int port) {
        this.bin = bin;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = port;
    }

    /** Creates a cluster in a new directory and starts it; returns once it accepts connections. */
    public static ThrowawayCluster create() {
        Path bin = binaries();
        ThrowawayCluster cluster = new ThrowawayCluster(bin, newDirectory(), freePort());
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.initdb();
            cluster.start();
        } catch (RuntimeException | Error e) {
            cluster.closeQuietly();
            throw e;
        }
        return cluster;
    }

    /** The JDBC URL of the cluster's {@code postgres} database, as superuser {@code postgres}. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** A plain connection, outside any pool. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Runs statements on a fresh connection, autocommit. */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new AssertionError("test setup SQL failed on " + url() + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}): every connection breaks, new ones are refused. */
    public synchronized void stop() {
        pgCtl("-m", "fast", "stop");
    }

    /** Starts the server again on the same port and data; returns once it accepts connections. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("cluster in " + directory + " is closed");
        }
        pgCtl("-l", directory.resolve("server.log").toString(), "-t", "60", "start");
    }

    /** Stops the server if it runs (even if a {@link #start()} timed out) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook
        }
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                pgCtl("-m", "immediate", "stop");          // nothing in it is worth a checkpoint
            }
        } finally {
            delete(directory);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException | Error e) {
            System.err.println("cannot clean up the PostgreSQL cluster in " + directory + ": " + e.getMessage());
        }
    }

    private void initdb() {
        run("initdb", List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"));
        // Small settings; fsync stays on. The Unix socket lives in the data directory, so nothing outside
        // it is touched; a path too long for a socket (107 bytes) means none: JDBC and pg_ctl -w use TCP
        // and postmaster.pid.
        String socket = data.resolve(".s.PGSQL." + port).toString();
        String socketDirectory = socket.getBytes(StandardCharsets.UTF_8).length <= 107 ? data.toString() : "";
        String settings = String.join("\n",
                "",
                "# ThrowawayCluster",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + socketDirectory + "'",
                "max_connections = 30",
                "shared_buffers = 16MB",
                "max_wal_senders = 0",
                "wal_level = minimal",
                "");
        try {
            Files.writeString(data.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AssertionError("cannot configure the PostgreSQL cluster in " + data + ": " + e.getMessage(), e);
        }
    }

    private void pgCtl(String... arguments) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w"));
        command.addAll(List.of(arguments));
        run("pg_ctl " + arguments[arguments.length - 1], command);
    }

    /** Runs a PostgreSQL binary, as {@link #OS_USER_FOR_ROOT} if the JVM is root; fails with its output and the server log. */
    private void run(String what, List<String> command) {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", OS_USER_FOR_ROOT, "--"));
        }
        full.addAll(command);
        Path output = directory.resolve("commands.log");
        try {
            Process p = new ProcessBuilder(full).directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(what + " did not finish in 120 s: " + String.join(" ", full) + logs(output));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(what + " failed (exit " + p.exitValue() + "): " + String.join(" ", full) + logs(output));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", full) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + what, e);
        }
    }

    private String logs(Path output) {
        return "\n--- " + output + ":\n" + tail(output) + "\n--- " + directory.resolve("server.log") + ":\n"
                + tail(directory.resolve("server.log"));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /**
     * The directory holding initdb and pg_ctl: {@code pg_config --bindir}, else the newest
     * {@code /usr/lib/postgresql/<version>/bin} (Debian's layout).
     */
    private static Path binaries() {
        List<Path> candidates = new ArrayList<>();
        pgConfigBindir().ifPresent(candidates::add);
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.filter(v -> v.getFileName().toString().matches("[0-9]+"))
                    .sorted(Comparator.comparingInt((Path v) -> Integer.parseInt(v.getFileName().toString())).reversed())
                    .map(v -> v.resolve("bin"))
                    .forEach(candidates::add);
        } catch (IOException e) {
            // no Debian layout
        }
        return candidates.stream()
                .filter(d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("this test needs the PostgreSQL server binaries initdb and pg_ctl"
                        + " and found them neither in `pg_config --bindir` nor in /usr/lib/postgresql/<version>/bin"
                        + " (looked in " + candidates + "); install the PostgreSQL server (Debian: postgresql-15)"
                        + " or put its pg_config on the PATH"));
    }

    private static Optional<Path> pgConfigBindir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(Path.of(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();                      // no pg_config on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * A new, empty directory for one cluster under {@code target/}, owned by the user who runs
     * postgres. As root, when {@code postgres} cannot reach {@code target/} (a checkout under
     * {@code /root}, say), under the system temporary directory instead.
     */
    private static Path newDirectory() {
        try {
            Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
            Path parent = !ROOT || reachableByPostgres(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
            Path directory = Files.createTempDirectory(parent, "pg-cluster-");       // mode 700
            if (ROOT) {
                UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
                try {
                    Files.setOwner(directory, users.lookupPrincipalByName(OS_USER_FOR_ROOT));
                } catch (IOException e) {
                    Files.delete(directory);
                    throw new AssertionError("running as root, so initdb and postgres must run as the OS user "
                            + OS_USER_FOR_ROOT + ", and there is none: " + e.getMessage(), e);
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for a PostgreSQL cluster", e);
        }
    }

    /** Whether every directory from / to {@code dir} lets others through (mode o+x). */
    private static boolean reachableByPostgres(Path dir) throws IOException {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the PostgreSQL cluster in " + directory, e);
        }
    }
}
