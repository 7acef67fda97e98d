package dev.eventsource.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.internal.Descriptors;
import dev.eventsource.internal.Json;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderLineAdded;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.postgres.PostgresStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * The set-up the PostgreSQL benchmarks share: a HikariCP pool on {@code EVENTSOURCE_PG_URL} (default
 * {@value #DEFAULT_URL}), a schema of the benchmark's own that is dropped and created empty, a migrated
 * {@link PostgresStore} in it, engines over that store with the sample's {@link Order} registered, a fast
 * fill of the log with orders, and a raw keyset scan of the events table. {@link #close()} closes the
 * store and the pool and drops the schema.
 *
 * <pre>{@code
 * try (PgBench pg = PgBench.open("bench_hot", 16);
 *      Engine engine = pg.engine(b -> b.maxRetries(50))) {
 *     engine.execute(Order.class, "order_1", new CreateOrder("order_1", "c_1", 10.0));
 * }
 * }</pre>
 *
 * <p>Not thread-safe itself; the pool, the store and the engines it makes are.
 */
final class PgBench implements AutoCloseable {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final HikariDataSource pool;
    private final String schema;
    private final PostgresStore store;

    private PgBench(HikariDataSource pool, String schema, PostgresStore store) {
        this.pool = pool;
        this.schema = schema;
        this.store = store;
    }

    /** The JDBC URL of the benchmark database. */
    static String url() {
        return System.getenv().getOrDefault("EVENTSOURCE_PG_URL", DEFAULT_URL);
    }

    /** A pool of at most {@code size} connections to {@link #url()}. */
    static HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    /** A pool of {@code poolSize}, {@code schema} dropped and created empty, a store with default options migrated in it. */
    static PgBench open(String schema, int poolSize) {
        return open(schema, poolSize, UnaryOperator.identity());
    }

    /** The same with the store's builder adjusted by {@code options} (for instance {@code b -> b.groupCommit(false)}). */
    static PgBench open(String schema, int poolSize, UnaryOperator<PostgresStore.Builder> options) {
        HikariDataSource pool = pool(poolSize);
        try {
            execute(pool, "drop schema if exists " + schema + " cascade", "create schema " + schema);
            PostgresStore store = options.apply(PostgresStore.builder(pool).schema(schema)).build();
            store.migrate();
            return new PgBench(pool, schema, store);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot set up schema " + schema + " at " + url() + ": " + e.getMessage(), e);
        }
    }

    HikariDataSource pool() {
        return pool;
    }

    PostgresStore store() {
        return store;
    }

    String schema() {
        return schema;
    }

    /** A started engine over the store with {@link Order} registered, default settings. */
    Engine engine() {
        return engine(UnaryOperator.identity());
    }

    /** A started engine over the store with {@link Order} registered, the builder adjusted by {@code options}. */
    Engine engine(UnaryOperator<Engine.Builder> options) {
        Engine engine = options.apply(Engine.builder().store(store)).build();
        engine.registerAggregate(Order.class);
        engine.start();
        return engine;
    }

    /** Runs {@code statements} in auto-commit on one connection of the pool. */
    void execute(String... statements) throws SQLException {
        execute(pool, statements);
    }

    private static void execute(HikariDataSource pool, String... statements) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /**
     * Appends {@code orders} orders of {@code eventsPerOrder} events each (one {@code OrderCreated}, then
     * {@code OrderLineAdded}s of 2.50) through {@link PostgresStore#append}, one append per order, from
     * {@code threads} threads (so group commit merges them): the log a catch-up benchmark reads, written
     * in a few seconds instead of one command per event. Order {@code i} is {@code order_i}; the events
     * carry no metadata.
     */
    void appendOrders(int orders, int eventsPerOrder, int threads) throws Exception {
        @SuppressWarnings("unchecked")
        AggregateDescriptor<Order> order = (AggregateDescriptor<Order>) Descriptors.aggregate(Order.class);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int o = first; o < orders; o += threads) {
                        String id = "order_" + o;
                        List<NewEvent> events = new ArrayList<>(eventsPerOrder);
                        events.add(event(order, new OrderCreated(id, "c_" + o % 50, 10.0)));
                        for (int l = 1; l < eventsPerOrder; l++) {
                            events.add(event(order, new OrderLineAdded(id, "sku-" + l, 1, 2.5)));
                        }
                        store.append(order.streamType(), id, 0, events);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        long head = store.headPosition();
        if (head != (long) orders * eventsPerOrder) {
            throw new IllegalStateException("expected " + (long) orders * eventsPerOrder + " events in the log, found " + head);
        }
    }

    private static NewEvent event(AggregateDescriptor<Order> order, Object data) {
        EventCodec<?> codec = order.codecOf(data);
        return new NewEvent(UUID.randomUUID(), codec.name(), codec.version(), Instant.now(), Json.encode(codec, data), null);
    }

    /** What {@link #scanLog} hands over for each event, in log order. */
    interface LogRow {
        void accept(EventEnvelope<?> event) throws Exception;
    }

    /**
     * The raw read of the whole log on {@code connection}: {@code where position > ? order by position
     * limit 1000} until empty, each payload decoded with the {@link Order}'s generated codec into an
     * envelope (metadata not read: the filled log has none), without the store's API. Returns the number
     * of events read. {@code afterPage} runs after each non-empty page (a raw projection commits there).
     */
    long scanLog(Connection connection, LogRow row, SqlStep afterPage) throws Exception {
        AggregateDescriptor<?> order = Descriptors.aggregate(Order.class);
        long position = 0;
        long read = 0;
        try (PreparedStatement ps = connection.prepareStatement("select position, stream_type, stream_id, version,"
                + " event_id, event_type, event_version, recorded_at, payload from " + store.eventsTable()
                + " where position > ? order by position limit 1000")) {
            while (true) {
                ps.setLong(1, position);
                int inPage = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        position = rs.getLong(1);
                        String type = rs.getString(6);
                        Object data = Json.decode(order.codec(type), rs.getBytes(9), rs.getInt(7));
                        row.accept(new EventEnvelope<>(data, type, rs.getString(2), rs.getString(3), rs.getLong(4), position,
                                rs.getObject(5, UUID.class), rs.getObject(8, OffsetDateTime.class).toInstant(), null));
                        inPage++;
                    }
                }
                if (inPage == 0) {
                    return read;
                }
                read += inPage;
                afterPage.run();
            }
        }
    }

    /** A step that may throw {@link SQLException}. */
    interface SqlStep {
        void run() throws SQLException;
    }

    /** Closes the store and the pool after dropping the schema. */
    @Override
    public void close() {
        try {
            store.close();
            execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop schema " + schema + ": " + e.getMessage(), e);
        } finally {
            pool.close();
        }
    }
}
