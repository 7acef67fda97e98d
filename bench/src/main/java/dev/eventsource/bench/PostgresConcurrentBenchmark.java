package dev.eventsource.bench;

import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * POSTGRESQL, END TO END, 8 THREADS (same database and schema as {@link PostgresCommandBenchmark}):
 * eight threads place orders through one shared engine, whose {@code PostgresStore} lets concurrent
 * commits share a transaction and a disk flush (group commit), against eight threads each inserting
 * the same row with one JDBC transaction per row on its own connection. Scores in orders (rows) per
 * second, all threads together.
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar -r 2s PostgresConcurrentBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@Threads(8)
public class PostgresConcurrentBenchmark {

    /** {@value RatioTable#OURS} or {@code raw-jdbc-tx-per-row}. */
    @Param({RatioTable.OURS, "raw-jdbc-tx-per-row"})
    public String impl;

    private final AtomicLong next = new AtomicLong();
    private final PostgresCommandBenchmark shared = new PostgresCommandBenchmark();

    /** Opens the shared pool, store and engine (the single-thread benchmark's set-up, with a bigger pool). */
    @Setup
    public void setUp() throws SQLException {
        shared.impl = impl;
        shared.setUp(16);
    }

    /** Closes everything and drops the schema. */
    @TearDown
    public void tearDown() throws SQLException {
        shared.tearDown();
    }

    /** One thread's own connection for the raw baseline. */
    @State(Scope.Thread)
    public static class RawConnection {
        Connection connection;
        PreparedStatement insert;

        /** Borrows a connection in auto-commit mode. */
        @Setup(Level.Trial)
        public void open(PostgresConcurrentBenchmark bench) throws SQLException {
            connection = bench.shared.pool().getConnection();
            connection.setAutoCommit(true);
            insert = bench.shared.prepareInsert(connection);
        }

        /** Gives it back. */
        @TearDown(Level.Trial)
        public void close() throws SQLException {
            insert.close();
            connection.close();
        }
    }

    /** Places one order. */
    @Benchmark
    public void placeOrder(RawConnection raw) throws SQLException {
        long n = next.incrementAndGet();
        if (RatioTable.OURS.equals(impl)) {
            String id = "order_" + n;
            shared.engine().execute(Order.class, id, new CreateOrder(id, "c_1", 25.0));
        } else {
            shared.bind(raw.insert, n);
            raw.insert.executeUpdate();
        }
    }
}
