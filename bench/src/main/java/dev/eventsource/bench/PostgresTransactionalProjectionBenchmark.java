package dev.eventsource.bench;

import dev.eventsource.EventEnvelope;
import dev.eventsource.StreamOptions;
import dev.eventsource.TransactionalProjection;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderLineAdded;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * TRANSACTIONAL PROJECTION CATCHING UP FROM POSTGRESQL, in events/s: a new engine with
 * {@link OrderTotals}, a {@code TransactionalProjection<Connection>} that runs one SQL upsert per event
 * into a per-order totals table (on the connection of the transaction that saves its checkpoint), on
 * 4 partitions, catches up with the same log as {@link PostgresProjectionBenchmark} ({@value
 * PostgresProjectionBenchmark#EVENTS} events, 10,000 orders) until {@code awaitProjections} returns.
 * Baseline {@code raw-jdbc-batched-upserts}: one thread pages through the events table 1,000 at a time
 * ({@link PgBench#scanLog}, decoding each payload), adds the same upsert per event to a JDBC batch and
 * commits each page's batch in one transaction on a second connection. Before each invocation the
 * table is truncated and the projection's checkpoints deleted; after it the totals are checked.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar bench/target/benchmarks.jar -f 1 -wi 1 -w 1s -i 2 -r 1s PostgresTransactionalProjectionBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PostgresTransactionalProjectionBenchmark {

    static final String SCHEMA = "bench_pg_txprojection";

    /** {@value RatioTable#OURS} (4 partitions) or {@code raw-jdbc-batched-upserts}. */
    @Param({RatioTable.OURS, "raw-jdbc-batched-upserts"})
    public String impl;

    private PgBench pg;
    private OrderTotals totals;

    /** Fills the log once and creates the totals table. */
    @Setup
    public void setUp() throws Exception {
        pg = PgBench.open(SCHEMA, 12);
        pg.appendOrders(PostgresProjectionBenchmark.ORDERS, PostgresProjectionBenchmark.EVENTS_PER_ORDER, 4);
        totals = new OrderTotals(SCHEMA + ".order_totals");
        pg.execute("create table " + totals.table + " (id text primary key, events bigint not null, amount_cents bigint not null)");
    }

    /** Drops the schema. */
    @TearDown
    public void tearDown() {
        pg.close();
    }

    /** Projects the whole log into the empty table; checks the sums. */
    @Benchmark
    @OperationsPerInvocation(PostgresProjectionBenchmark.EVENTS)
    public void project() throws Exception {
        pg.execute("truncate " + totals.table);
        if (RatioTable.OURS.equals(impl)) {
            pg.store().deleteCheckpoints(totals.name());
            ProjectionBenchmark.catchUp(pg.store(), totals, StreamOptions.named("bench-tx").partitions(4));
        } else {
            rawBatches();
        }
        checkSums();
    }

    private void rawBatches() throws Exception {
        try (Connection read = pg.pool().getConnection(); Connection write = pg.pool().getConnection();
             PreparedStatement upsert = write.prepareStatement(totals.upsertSql)) {
            write.setAutoCommit(false);
            try {
                pg.scanLog(read, e -> {
                    if (totals.bind(upsert, e)) {
                        upsert.addBatch();
                    }
                }, () -> {
                    upsert.executeBatch();
                    write.commit();
                });
            } finally {
                write.rollback();
                write.setAutoCommit(true);
            }
        }
    }

    private void checkSums() throws SQLException {
        long orders = PostgresProjectionBenchmark.ORDERS;
        long events = PostgresProjectionBenchmark.EVENTS;
        long expectedCents = orders * 1_000 + (events - orders) * 250;
        try (Connection c = pg.pool().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), sum(events), sum(amount_cents) from " + totals.table)) {
            rs.next();
            if (rs.getLong(1) != orders || rs.getLong(2) != events || rs.getLong(3) != expectedCents) {
                throw new IllegalStateException(impl + ": expected " + orders + " rows, " + events + " events, " + expectedCents
                        + " cents; found " + rs.getLong(1) + ", " + rs.getLong(2) + ", " + rs.getLong(3));
            }
        }
    }

    /**
     * Per-order totals (events seen, amount in cents), one upsert per {@code OrderCreated} or
     * {@code OrderLineAdded}. Stateless apart from the table name; partition workers call it
     * concurrently, each with its own transaction.
     */
    public static final class OrderTotals implements TransactionalProjection<Connection> {

        final String table;
        final String upsertSql;

        OrderTotals(String table) {
            this.table = table;
            this.upsertSql = "insert into " + table + " as t (id, events, amount_cents) values (?, 1, ?)"
                    + " on conflict (id) do update set events = t.events + 1, amount_cents = t.amount_cents + excluded.amount_cents";
        }

        /** Binds the upsert of {@code event}; false for an event it does not count. */
        boolean bind(PreparedStatement upsert, EventEnvelope<?> event) throws SQLException {
            double amount;
            if (event.data() instanceof OrderCreated c) {
                amount = c.amount();
            } else if (event.data() instanceof OrderLineAdded l) {
                amount = l.total();
            } else {
                return false;
            }
            upsert.setString(1, event.streamId());
            upsert.setLong(2, Math.round(amount * 100));
            return true;
        }

        @Override
        public void handle(EventEnvelope<?> event, Connection tx) throws SQLException {
            try (PreparedStatement upsert = tx.prepareStatement(upsertSql)) {
                if (bind(upsert, event)) {
                    upsert.executeUpdate();
                }
            }
        }

        @Override
        public void reset(Connection tx) throws SQLException {
            try (Statement st = tx.createStatement()) {
                st.execute("truncate " + table);
            }
        }

        @Override
        public String name() {
            return "bench-order-totals";
        }

        @Override
        public Class<Connection> transactionType() {
            return Connection.class;
        }
    }
}
