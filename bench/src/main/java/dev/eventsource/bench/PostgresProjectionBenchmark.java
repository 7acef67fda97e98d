package dev.eventsource.bench;

import dev.eventsource.StreamOptions;
import dev.eventsource.internal.Descriptors;
import dev.eventsource.sample.readmodel.OrderSummary;
import dev.eventsource.spi.ProjectionDescriptor;
import java.sql.Connection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ASYNCHRONOUS PROJECTION CATCHING UP FROM POSTGRESQL, in events/s: a new engine with the sample's
 * {@link OrderSummary} on a stream of 4 partitions (buffer 1,000) reads a log of {@value #EVENTS}
 * events (10,000 orders of 100 events) from position 0 until {@code awaitProjections} returns; its
 * checkpoints are deleted before each invocation. Baseline {@code raw-keyset-decode} (the ceiling): one
 * thread on one connection pages through the events table ({@code where position > ? order by position
 * limit 1000}), decodes each payload with the generated codec and calls the generated projection
 * dispatcher: no store API, queues, threads or checkpoints. Both check the totals at the end.
 *
 * <p>The log is written once per trial by {@link PgBench#appendOrders} (one {@code PostgresStore.append}
 * of 100 events per order, from 4 threads), in schema {@value #SCHEMA} at {@code EVENTSOURCE_PG_URL}.
 * Each invocation is one whole catch-up (seconds), so use few iterations:
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar bench/target/benchmarks.jar -f 1 -wi 1 -w 1s -i 3 -r 1s PostgresProjectionBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PostgresProjectionBenchmark {

    static final String SCHEMA = "bench_pg_projection";
    static final int ORDERS = 10_000;
    static final int EVENTS_PER_ORDER = 100;
    static final int EVENTS = ORDERS * EVENTS_PER_ORDER;

    /** {@value RatioTable#OURS} (4 partitions) or {@code raw-keyset-decode}. */
    @Param({RatioTable.OURS, "raw-keyset-decode"})
    public String impl;

    private PgBench pg;

    /** Fills the log once. */
    @Setup
    public void setUp() throws Exception {
        pg = PgBench.open(SCHEMA, 12);
        pg.appendOrders(ORDERS, EVENTS_PER_ORDER, 4);
    }

    /** Drops the schema. */
    @TearDown
    public void tearDown() {
        pg.close();
    }

    /** Projects the whole log into a new summary; checks that every event arrived. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public OrderSummary project() throws Exception {
        OrderSummary summary = new OrderSummary();
        if (RatioTable.OURS.equals(impl)) {
            pg.store().deleteCheckpoints(ProjectionBenchmark.PROJECTION);
            ProjectionBenchmark.catchUp(pg.store(), summary, StreamOptions.named("bench").partitions(4).bufferSize(1000));
        } else {
            rawScan(summary);
        }
        OrderSummary.Totals t = summary.totals();
        if (t.orders() != ORDERS || t.lines() != EVENTS - ORDERS) {
            throw new IllegalStateException(impl + " lost events: " + t);
        }
        return summary;
    }

    @SuppressWarnings("unchecked")
    private void rawScan(OrderSummary summary) throws Exception {
        ProjectionDescriptor<OrderSummary> projection =
                (ProjectionDescriptor<OrderSummary>) Descriptors.projectionOrNull(OrderSummary.class);
        try (Connection c = pg.pool().getConnection()) {
            pg.scanLog(c, e -> projection.handle(summary, e), () -> { });
        }
    }
}
