package dev.eventsource.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.sample.readmodel.OrderTable;
import dev.eventsource.store.postgres.PostgresStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Runs the scenario on PostgreSQL: a HikariCP pool, a {@link PostgresStore} and the SQL read model
 * {@link OrderTable}, all in one schema that is dropped and recreated first, so every run starts from
 * an empty history.
 *
 * <pre>{@code
 * ScenarioReport report = PostgresBackend.run("jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
 *         "eventsource_sample", Scenario.Settings.defaults(), new Progress(System.out));
 * }</pre>
 */
final class PostgresBackend {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private PostgresBackend() {
    }

    static ScenarioReport run(String jdbcUrl, String schema, Scenario.Settings settings, Progress progress)
            throws Exception {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a lower-case SQL identifier: '" + schema + "'");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("eventsource-sample");
        // Commands from the concurrency phase, projection workers, the notification listener.
        config.setMaximumPoolSize(settings.threads() + 8);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            progress.println(String.format(Locale.ROOT, "Running the orders scenario on PostgreSQL %s, schema %s "
                    + "(dropped and recreated): %s", jdbcUrl, schema, settings));
            recreateSchema(pool, schema);
            OrderTable table = new OrderTable(schema);
            table.createTable(pool);
            try (PostgresStore store = PostgresStore.builder(pool).schema(schema).build()) {
                store.migrate();
                return new Scenario(new Scenario.Backend("PostgreSQL (PostgresStore, schema " + schema + ")", store,
                        table, pool), settings, progress).run();
            }
        }
    }

    private static void recreateSchema(HikariDataSource pool, String schema) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
            st.execute("create schema " + schema);
        }
    }
}
