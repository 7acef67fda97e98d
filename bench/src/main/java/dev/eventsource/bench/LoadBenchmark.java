package dev.eventsource.bench;

import dev.eventsource.Engine;
import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.store.InMemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Loading one aggregate of {@link #events} events with {@code Engine.load} (which always reads the
 * store: newest snapshot, then the events after it, decoded and applied). {@value RatioTable#OURS}
 * loads from a snapshot taken every 100 events, so it reads one snapshot and at most 99 events; the
 * {@code full-replay} baseline is the same engine over a store without snapshots, decoding and
 * applying every event.
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar LoadBenchmark
 * }</pre>
 */
@State(Scope.Thread)
public class LoadBenchmark {

    /** {@value RatioTable#OURS} (snapshot every 100 events) or {@code full-replay} (no snapshots). */
    @Param({RatioTable.OURS, "full-replay"})
    public String impl;

    /** Events in the loaded order's stream; not a multiple of 100, so some events follow the snapshot. */
    @Param({"1050"})
    public int events;

    private static final String ID = "order_1";

    private InMemoryStore store;
    private Engine engine;

    /** Writes the order's events (and, for ours, waits for its newest snapshot). */
    @Setup
    public void setUp() throws InterruptedException {
        boolean snapshots = RatioTable.OURS.equals(impl);
        store = new InMemoryStore();
        engine = Engine.builder().store(store).snapshotEvery(snapshots ? 100 : 0).build();
        engine.registerAggregate(Order.class);
        engine.start();
        engine.execute(Order.class, ID, new CreateOrder(ID, "c_1", 10.0));
        for (int i = 1; i < events; i++) {
            engine.execute(Order.class, ID, new AddOrderLine("sku-" + i, 1, 2.5));
        }
        long expected = snapshots ? events / 100 * 100 : 0;
        for (int i = 0; i < 200 && store.loadSnapshot("Order", ID).map(s -> s.version()).orElse(0L) < expected; i++) {
            Thread.sleep(10);
        }
        long actual = store.loadSnapshot("Order", ID).map(s -> s.version()).orElse(0L);
        if (actual != expected) {
            throw new IllegalStateException("expected a snapshot at version " + expected + ", found " + actual);
        }
    }

    /** Closes the engine. */
    @TearDown
    public void tearDown() {
        engine.close();
        store.close();
    }

    /** Loads the order. */
    @Benchmark
    public Order load() {
        return engine.load(Order.class, ID).orElseThrow();
    }
}
