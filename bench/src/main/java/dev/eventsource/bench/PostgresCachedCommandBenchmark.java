package dev.eventsource.bench;

import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * POSTGRESQL, END TO END, COMMANDS ON CACHED AGGREGATES (same database, schema and raw table as
 * {@link PostgresCommandBenchmark}): one thread executes {@code AddOrderLine} round robin over
 * {@link #orders} orders created in the set-up, so every aggregate is in the engine's cache (default
 * size 10,000) and each command appends one event to an existing stream. Baseline
 * {@code raw-jdbc-tx-per-row}: {@link PostgresCommandBenchmark}'s single-row insert in auto-commit,
 * one transaction per row. {@value PostgresCommandBenchmark#BATCH} commands (rows) per invocation;
 * scores in commands (rows) per second.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar bench/target/benchmarks.jar -f 1 -wi 2 -w 2s -i 3 -r 3s PostgresCachedCommandBenchmark
 * }</pre>
 */
@State(Scope.Thread)
public class PostgresCachedCommandBenchmark {

    /** {@value RatioTable#OURS} or {@code raw-jdbc-tx-per-row}. */
    @Param({RatioTable.OURS, "raw-jdbc-tx-per-row"})
    public String impl;

    /** How many orders the commands go round; all fit in the engine's cache. */
    @Param({"500"})
    public int orders;

    private final PostgresCommandBenchmark shared = new PostgresCommandBenchmark();
    private final AddOrderLine command = new AddOrderLine("sku-1", 1, 2.5);
    private String[] ids;
    private int next;

    /** The single-thread benchmark's set-up, then the orders, each once through the engine (so cached). */
    @Setup
    public void setUp() throws SQLException {
        shared.impl = impl;
        shared.setUp();
        ids = new String[orders];
        for (int i = 0; i < orders; i++) {
            ids[i] = "cached_" + i;
            shared.engine().execute(Order.class, ids[i], new CreateOrder(ids[i], "c_1", 10.0));
        }
    }

    /** Closes everything and drops the schema. */
    @TearDown
    public void tearDown() throws SQLException {
        shared.tearDown();
    }

    /** Adds {@value PostgresCommandBenchmark#BATCH} lines (ours) or inserts as many rows (raw). */
    @Benchmark
    @OperationsPerInvocation(PostgresCommandBenchmark.BATCH)
    public void addLines() throws SQLException {
        if (RatioTable.OURS.equals(impl)) {
            for (int i = 0; i < PostgresCommandBenchmark.BATCH; i++) {
                shared.engine().execute(Order.class, ids[next], command);
                next = next + 1 == ids.length ? 0 : next + 1;
            }
        } else {
            shared.placeOrders();
        }
    }
}
