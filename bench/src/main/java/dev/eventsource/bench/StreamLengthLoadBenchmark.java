package dev.eventsource.bench;

import dev.eventsource.Engine;
import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Does loading an aggregate cost more when its stream is long? {@code Engine.load} (which always reads
 * the store: newest snapshot, then the events after it) of an order of 10,000 events
 * ({@value RatioTable#OURS}) against one of 100 events ({@code 100-events}, the baseline), both with a
 * snapshot every 100 events, so each load reads a snapshot and no event after it, on PostgreSQL
 * ({@code store=postgres}, schema {@value #SCHEMA} at {@code EVENTSOURCE_PG_URL}) and in memory. The
 * sample's {@link Order} keeps counters, not its lines, so its snapshot has the same size at any length.
 * Scores in loads/s; the ratio the target speaks of is {@code time(10,000) / time(100)}, the inverse of
 * the table's {@code ours vs this}.
 *
 * <pre>{@code
 * java -Djmh.ignoreLock=true -jar bench/target/benchmarks.jar -f 1 -wi 2 -w 2s -i 3 -r 3s StreamLengthLoadBenchmark
 * }</pre>
 */
@State(Scope.Thread)
public class StreamLengthLoadBenchmark {

    static final String SCHEMA = "bench_pg_load";
    private static final String ID = "order_1";

    /** {@value RatioTable#OURS}: 10,000 events; {@code 100-events}: 100 events. */
    @Param({RatioTable.OURS, "100-events"})
    public String impl;

    /** {@code postgres} or {@code memory}. */
    @Param({"postgres", "memory"})
    public String store;

    private PgBench pg;
    private EventStore events;
    private Engine engine;

    /** Writes the order through commands, then waits for its snapshot at the last version. */
    @Setup
    public void setUp() throws InterruptedException {
        int length = RatioTable.OURS.equals(impl) ? 10_000 : 100;
        if (store.equals("postgres")) {
            pg = PgBench.open(SCHEMA, 4);
            events = pg.store();
        } else {
            events = new InMemoryStore();
        }
        engine = Engine.builder().store(events).snapshotEvery(100).build();
        engine.registerAggregate(Order.class);
        engine.start();
        engine.execute(Order.class, ID, new CreateOrder(ID, "c_1", 10.0));
        AddOrderLine line = new AddOrderLine("sku-1", 1, 2.5);
        for (int i = 1; i < length; i++) {
            engine.execute(Order.class, ID, line);
        }
        for (int i = 0; i < 500 && snapshotVersion() < length; i++) {
            Thread.sleep(10);
        }
        if (snapshotVersion() != length) {
            throw new IllegalStateException("expected a snapshot at version " + length + ", found " + snapshotVersion());
        }
        if (engine.load(Order.class, ID).orElseThrow().version() != length) {
            throw new IllegalStateException("the order does not have " + length + " events");
        }
    }

    private long snapshotVersion() {
        return events.loadSnapshot("Order", ID).map(s -> s.version()).orElse(0L);
    }

    /** Closes the engine and the store (drops the schema). */
    @TearDown
    public void tearDown() {
        engine.close();
        if (pg != null) {
            pg.close();
        } else {
            events.close();
        }
    }

    /** Loads the order from the store. */
    @Benchmark
    public Order load() {
        return engine.load(Order.class, ID).orElseThrow();
    }
}
