package dev.eventsource.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.NewEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The PostgreSQL server the tests use: URL from {@code EVENTSOURCE_PG_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. Every test class works in its own
 * schema, dropped and recreated here; an unreachable server fails the test (it never skips).
 *
 * <pre>{@code
 * HikariDataSource ds = PgTestDatabase.freshSchema("es_t_store", 4);
 * PostgresStore store = PostgresStore.builder(ds).schema("es_t_store").build();
 * }</pre>
 */
public final class PgTestDatabase {

    /** The JDBC URL of the test server. */
    public static final String URL = System.getenv().getOrDefault("EVENTSOURCE_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private PgTestDatabase() {
    }

    /** A plain connection, outside any pool; fails with the URL in the message when the server is down. */
    public static Connection connect() {
        try {
            return DriverManager.getConnection(URL);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + URL + " (set EVENTSOURCE_PG_URL): " + e.getMessage(), e);
        }
    }

    /** Drops the schema with everything in it, recreates it empty and returns a pool for it; the name may be a reserved word. */
    public static HikariDataSource freshSchema(String schema, int poolSize) {
        execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE", "CREATE SCHEMA \"" + schema + "\"");
        return pool(schema, poolSize);
    }

    /** A pool whose connections carry {@code application_name = schema}, so a test can find (and kill) them. */
    public static HikariDataSource pool(String applicationName, int poolSize) {
        return pool(applicationName, poolSize, config -> { });
    }

    /** As {@link #pool(String, int)}, with more configuration. */
    public static HikariDataSource pool(String applicationName, int poolSize, Consumer<HikariConfig> configure) {
        return pool(URL, applicationName, poolSize, configure);
    }

    /** As {@link #pool(String, int, Consumer)}, on the server at {@code url} (a {@link ThrowawayCluster}'s, say). */
    public static HikariDataSource pool(String url, String applicationName, int poolSize, Consumer<HikariConfig> configure) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(5_000);
        config.setPoolName("test-" + applicationName);
        config.addDataSourceProperty("ApplicationName", applicationName);
        configure.accept(config);
        return new HikariDataSource(config);
    }

    /** Runs statements on a fresh connection, autocommit. */
    public static void execute(String... sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new AssertionError("test setup SQL failed: " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query, as a long (counts, positions). */
    public static long queryLong(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("test query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the store's events table reject UPDATE, DELETE and TRUNCATE, so a test fails if the store
     * ever changes a stored event (normal operation only inserts).
     */
    public static void forbidEventChanges(PostgresStore store) {
        store.migrate();
        String table = store.eventsTable();
        String function = table + "_append_only";
        execute("CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $$"
                        + " BEGIN RAISE EXCEPTION 'events are append-only: % on %', TG_OP, TG_TABLE_NAME; END $$",
                "CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + function + "()",
                "CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON " + table + " FOR EACH STATEMENT EXECUTE FUNCTION "
                        + function + "()");
    }

    /** Terminates every backend of the given application name except the caller's; returns how many. */
    public static int killConnections(String applicationName) {
        try (Connection c = connect(); var ps = c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ? AND datname = current_database() AND pid <> pg_backend_pid()")) {
            ps.setString(1, applicationName);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot terminate backends of " + applicationName + ": " + e.getMessage(), e);
        }
    }

    /** An event with a small JSON payload, a timestamp at microsecond precision (what timestamptz keeps). */
    public static NewEvent event(String type, String json) {
        return new NewEvent(UUID.randomUUID(), type, 1, Instant.now().truncatedTo(ChronoUnit.MICROS),
                json.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
