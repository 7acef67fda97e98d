package dev.eventsource.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.internal.Descriptors;
import dev.eventsource.internal.Json;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.store.postgres.PostgresStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * POSTGRESQL, END TO END (needs the database at {@code EVENTSOURCE_PG_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}; uses and drops schema
 * {@code bench_pg}). One thread places orders, {@value #BATCH} per invocation, scores in
 * orders (rows) per second:
 * <ul>
 *   <li>{@value RatioTable#OURS}: {@code Engine.execute(CreateOrder)} on a {@link PostgresStore}
 *       (one transaction per command);</li>
 *   <li>{@code raw-jdbc-tx-per-row}: the same row inserted with a plain JDBC statement in
 *       auto-commit, one transaction per row: the floor a store with one transaction per command
 *       can reach on this disk;</li>
 *   <li>{@code raw-jdbc-batch}: {@value #BATCH} rows in one JDBC batch and one transaction: what
 *       batching buys, the ceiling for one connection.</li>
 * </ul>
 * The raw rows go to a copy of the store's events table ({@code LIKE ... INCLUDING ALL}: same
 * columns, constraints and indexes) with the same JSON payload bytes.
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar -r 2s PostgresCommandBenchmark
 * }</pre>
 *
 * <p>{@link PostgresConcurrentBenchmark} reuses this set-up with 8 threads.
 */
@State(Scope.Thread)
public class PostgresCommandBenchmark {

    static final int BATCH = 100;
    static final String SCHEMA = "bench_pg";

    /** {@value RatioTable#OURS}, {@code raw-jdbc-tx-per-row} or {@code raw-jdbc-batch}. */
    @Param({RatioTable.OURS, "raw-jdbc-tx-per-row", "raw-jdbc-batch"})
    public String impl;

    private HikariDataSource pool;
    private PostgresStore store;
    private Engine engine;
    private Connection raw;
    private PreparedStatement insert;
    private byte[] payload;
    private long next;

    /** Creates the schema, the store, the engine and the raw table. */
    @Setup
    public void setUp() throws SQLException {
        setUp(4);
    }

    void setUp(int poolSize) throws SQLException {
        pool = PgBench.pool(poolSize);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + SCHEMA + " cascade");
        }
        store = PostgresStore.builder(pool).schema(SCHEMA).build();
        store.migrate();
        engine = new Engine(store);
        engine.registerAggregate(Order.class);
        engine.start();
        raw = pool.getConnection();
        try (Statement st = raw.createStatement()) {
            st.execute("create table " + SCHEMA + ".raw_events (like " + store.eventsTable() + " including all)");
        }
        insert = prepareInsert(raw);
        OrderCreated sample = new OrderCreated("order_1", "c_1", 25.0);
        payload = Json.encode(Descriptors.aggregate(Order.class).codecOf(sample), sample);
    }

    HikariDataSource pool() {
        return pool;
    }

    Engine engine() {
        return engine;
    }

    /** The raw baseline's insert of one {@code OrderCreated} row, prepared on {@code connection}. */
    PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement("insert into " + SCHEMA + ".raw_events (position, stream_type, stream_id,"
                + " version, event_id, event_type, event_version, recorded_at, payload) values (?, 'Order', ?, 1, ?,"
                + " 'OrderCreated', 1, ?, ?)");
    }

    /** Binds row {@code n} (position and order id) to {@code statement}. */
    void bind(PreparedStatement statement, long n) throws SQLException {
        statement.setLong(1, n);
        statement.setString(2, "order_" + n);
        statement.setObject(3, UUID.randomUUID());
        statement.setTimestamp(4, Timestamp.from(Instant.now()));
        statement.setBytes(5, payload);
    }

    /** Closes everything and drops the schema. */
    @TearDown
    public void tearDown() throws SQLException {
        insert.close();
        raw.close();
        engine.close();
        store.close();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + SCHEMA + " cascade");
        }
        pool.close();
    }

    /** Places {@value #BATCH} orders. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void placeOrders() throws SQLException {
        switch (impl) {
            case RatioTable.OURS -> {
                for (int i = 0; i < BATCH; i++) {
                    String id = "order_" + next++;
                    engine.execute(Order.class, id, new CreateOrder(id, "c_1", 25.0));
                }
            }
            case "raw-jdbc-tx-per-row" -> {
                raw.setAutoCommit(true);
                for (int i = 0; i < BATCH; i++) {
                    bind();
                    insert.executeUpdate();
                }
            }
            default -> {
                raw.setAutoCommit(false);
                for (int i = 0; i < BATCH; i++) {
                    bind();
                    insert.addBatch();
                }
                insert.executeBatch();
                raw.commit();
            }
        }
    }

    private void bind() throws SQLException {
        bind(insert, ++next);
    }
}
