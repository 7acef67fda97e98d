package dev.eventsource.bench;

import dev.eventsource.internal.Descriptors;
import dev.eventsource.sample.order.HandWrittenOrderDispatch;
import dev.eventsource.sample.order.Order;
import dev.eventsource.sample.order.OrderCancelled;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderLineAdded;
import dev.eventsource.sample.order.OrderPaid;
import dev.eventsource.sample.order.OrderStatus;
import dev.eventsource.sample.order.OrderStatusChanged;
import dev.eventsource.spi.AggregateDescriptor;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Applying events: the generated dispatcher ({@code Order_Aggregate.apply}) against the
 * hand-written {@code instanceof} chain ({@link HandWrittenOrderDispatch}), over the same
 * {@value #EVENTS} events of all five order event types in random order. Scores are events per
 * second.
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar DispatchBenchmark
 * }</pre>
 */
@State(Scope.Thread)
public class DispatchBenchmark {

    static final int EVENTS = 1_000;

    /** {@value RatioTable#OURS} (generated dispatcher) or {@code hand-written}. */
    @Param({RatioTable.OURS, "hand-written"})
    public String impl;

    private final Object[] events = new Object[EVENTS];
    private AggregateDescriptor<Order> descriptor;
    private boolean ours;

    /** Builds the event mix: mostly lines, then payments, status changes, creations, cancellations. */
    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        ours = RatioTable.OURS.equals(impl);
        descriptor = (AggregateDescriptor<Order>) Descriptors.aggregate(Order.class);
        Random random = new Random(1);
        for (int i = 0; i < EVENTS; i++) {
            int kind = random.nextInt(10);
            events[i] = kind < 5 ? new OrderLineAdded("order_1", "sku-" + i, 1 + i % 3, 2.5)
                    : kind < 7 ? new OrderPaid("order_1", "pay_" + i, 1.0)
                    : kind < 9 ? new OrderStatusChanged("order_1", OrderStatus.CONFIRMED)
                    : i % 2 == 0 ? new OrderCreated("order_1", "c_1", 10.0)
                    : new OrderCancelled("order_1", "test");
        }
    }

    /** Applies every event to a new order. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public Order apply() {
        Order order = descriptor.newInstance();
        if (ours) {
            for (Object e : events) {
                descriptor.apply(order, e, null);
            }
        } else {
            for (Object e : events) {
                HandWrittenOrderDispatch.apply(order, e);
            }
        }
        return order;
    }
}
