package dev.eventsource.bench;

import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.StreamOptions;
import dev.eventsource.internal.Descriptors;
import dev.eventsource.internal.Json;
import dev.eventsource.sample.order.AddOrderLine;
import dev.eventsource.sample.order.CreateOrder;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.readmodel.OrderSummary;
import dev.eventsource.spi.AggregateDescriptor;
import dev.eventsource.spi.ProjectionDescriptor;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.StoredEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Asynchronous projection throughput, in events per second: a new engine with the sample's
 * {@link OrderSummary} registered on a stream of 4 partitions catches up with a log of
 * {@value #EVENTS} events (1,000 orders, 1 creation and 9 lines each), from start until
 * {@code awaitProjections} returns. Baselines: the same with 1 partition, and a raw single-thread
 * loop that reads the log in batches, decodes each event with the generated codec and calls the
 * generated projection dispatcher directly (no queues, threads or checkpoints: the ceiling).
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar ProjectionBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ProjectionBenchmark {

    static final int ORDERS = 1_000;
    static final int EVENTS = ORDERS * 10;
    /** The {@code @Projection(name)} of {@link OrderSummary}, the key of its checkpoints. */
    static final String PROJECTION = "order-summary";

    /** {@value RatioTable#OURS} (4 partitions), {@code eventsource-1-partition} or {@code raw-loop}. */
    @Param({RatioTable.OURS, "eventsource-1-partition", "raw-loop"})
    public String impl;

    private InMemoryStore store;

    /** Fills the log once. */
    @Setup
    public void setUp() {
        store = new InMemoryStore();
        try (Engine writer = new Engine(store)) {
            writer.registerAggregate(Order.class);
            writer.start();
            for (int o = 0; o < ORDERS; o++) {
                String id = "order_" + o;
                writer.execute(Order.class, id, new CreateOrder(id, "c_" + o % 50, 10.0));
                for (int l = 0; l < 9; l++) {
                    writer.execute(Order.class, id, new AddOrderLine("sku-" + l, 1, 2.5));
                }
            }
        }
    }

    /** Drops the log. */
    @TearDown
    public void tearDown() {
        store.close();
    }

    /** Projects the whole log into a new summary; checks that every event arrived. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public OrderSummary project() throws IOException {
        OrderSummary summary = new OrderSummary();
        if ("raw-loop".equals(impl)) {
            rawLoop(summary);
        } else {
            int partitions = RatioTable.OURS.equals(impl) ? 4 : 1;
            // The previous invocation's checkpoints would make this one start at the end of the log.
            store.deleteCheckpoints(PROJECTION);
            catchUp(store, summary, StreamOptions.named("bench").partitions(partitions).bufferSize(1000));
        }
        OrderSummary.Totals t = summary.totals();
        if (t.orders() != ORDERS || t.lines() != EVENTS - ORDERS) {
            throw new IllegalStateException(impl + " lost events: " + t);
        }
        return summary;
    }

    /**
     * Starts a new engine over {@code store} with {@link Order} and {@code projection} on {@code options},
     * waits (up to 10 minutes) until the projection has caught up with the log, and closes the engine.
     */
    static void catchUp(EventStore store, Object projection, StreamOptions options) {
        try (Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Order.class);
            engine.registerProjection(projection, options);
            engine.start();
            if (!engine.awaitProjections(Duration.ofMinutes(10))) {
                throw new IllegalStateException("projection did not catch up: " + engine.projectionStatus());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void rawLoop(OrderSummary summary) throws IOException {
        AggregateDescriptor<Order> order = (AggregateDescriptor<Order>) Descriptors.aggregate(Order.class);
        ProjectionDescriptor<OrderSummary> projection =
                (ProjectionDescriptor<OrderSummary>) Descriptors.projectionOrNull(OrderSummary.class);
        long position = 0;
        List<StoredEvent> batch;
        while (!(batch = store.readLog(position, 1_000)).isEmpty()) {
            for (StoredEvent e : batch) {
                Object data = Json.decode(order.codec(e.eventType()), e.payload(), e.eventVersion());
                projection.handle(summary, new EventEnvelope<>(data, e.eventType(), e.streamType(), e.streamId(),
                        e.version(), e.globalPosition(), e.eventId(), e.timestamp(), e.metadata()));
                position = e.globalPosition();
            }
        }
    }
}
