package dev.eventsource.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.CommandIds;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.postgres.PostgresStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * POSTGRESQL: what remembering command ids costs an append. One thread appends one event to a new
 * stream per operation, through the same {@link PostgresStore}, with the metadata the engine writes
 * ({@code command-id} and {@code correlation-id}, so the append's first row gets a command id and
 * an entry in the partial unique index of migration 5) or with no metadata (no command id, no index
 * entry). Scores in appends per second; the ratio of the two is the cost.
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar -f 1 -wi 2 -i 4 -r 2s PostgresCommandIdBenchmark
 * }</pre>
 */
@State(Scope.Thread)
public class PostgresCommandIdBenchmark {

    static final String SCHEMA = "bench_pg_command_ids";

    /** {@code with-command-id} or {@code without}. */
    @Param({"with-command-id", "without"})
    public String metadata;

    private HikariDataSource pool;
    private PostgresStore store;
    private byte[] payload;
    private long next;

    /** Creates the schema and the store. */
    @Setup
    public void setUp() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(System.getenv().getOrDefault("EVENTSOURCE_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + SCHEMA + " cascade");
        }
        store = PostgresStore.builder(pool).schema(SCHEMA).build();
        store.migrate();
        payload = "{\"id\":\"order_1\",\"customerId\":\"c_1\",\"amount\":25.0}".getBytes(StandardCharsets.UTF_8);
        store.append("Order", "warm-up", 0, List.of(event(Map.of())));        // records the event type once
    }

    private NewEvent event(Map<String, String> meta) {
        return new NewEvent(UUID.randomUUID(), "OrderCreated", 1, Instant.now(), payload, meta);
    }

    /** Appends one event to a new stream. */
    @Benchmark
    public Object append() {
        String id = "order_" + next++;
        Map<String, String> meta = metadata.equals("without") ? Map.of() : Map.of(CommandIds.METADATA_KEY,
                UUID.randomUUID().toString(), "correlation-id", UUID.randomUUID().toString());
        return store.append("Order", id, 0, List.of(event(meta)));
    }

    /** Closes the store and drops the schema. */
    @TearDown
    public void tearDown() throws SQLException {
        store.close();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + SCHEMA + " cascade");
        }
        pool.close();
    }
}
