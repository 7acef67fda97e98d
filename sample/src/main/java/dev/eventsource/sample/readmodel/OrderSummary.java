package dev.eventsource.sample.readmodel;

import dev.eventsource.Resettable;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import dev.eventsource.sample.order.OrderCancelled;
import dev.eventsource.sample.order.OrderCreated;
import dev.eventsource.sample.order.OrderLineAdded;
import dev.eventsource.sample.order.OrderPaid;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Business totals over every order, kept by an asynchronous partitioned projection: the quick
 * start's {@code OrderSummary} with more to count. Partition workers call the {@code @Apply}
 * methods concurrently (events of one order always on the same worker, in order), hence the atomic
 * counters. Amounts are also summed in cents as {@code long}s, which add up to the same total in
 * any order, so a rebuilt summary compares exactly with the live one. {@link Resettable} makes it
 * rebuildable with {@code engine.rebuildProjection(summary)}.
 *
 * <pre>{@code
 * OrderSummary summary = new OrderSummary();
 * engine.registerProjection(summary, StreamOptions.named("orders").partitions(4).bufferSize(1000));
 * engine.start();
 * engine.awaitProjections(Duration.ofSeconds(5));
 * summary.totals().orders();
 * }</pre>
 */
@Projection(name = "order-summary")
public class OrderSummary implements Resettable {

    final AtomicLong totalOrders = new AtomicLong();
    final DoubleAdder totalAmount = new DoubleAdder();
    final LongAdder amountCents = new LongAdder();
    final LongAdder lines = new LongAdder();
    final LongAdder payments = new LongAdder();
    final LongAdder paidCents = new LongAdder();
    final LongAdder cancelled = new LongAdder();

    @Apply
    void on(OrderCreated e) {
        totalOrders.incrementAndGet();
        totalAmount.add(e.amount());
        amountCents.add(Cents.of(e.amount()));
    }

    @Apply
    void on(OrderLineAdded e) {
        lines.increment();
        totalAmount.add(e.total());
        amountCents.add(Cents.of(e.total()));
    }

    @Apply
    void on(OrderPaid e) {
        payments.increment();
        paidCents.add(Cents.of(e.amount()));
    }

    @Apply
    void on(OrderCancelled e) {
        cancelled.increment();
    }

    /** Forgets every total, before a rebuild replays the log. */
    @Override
    public void reset() {
        totalOrders.set(0);
        totalAmount.reset();
        amountCents.reset();
        lines.reset();
        payments.reset();
        paidCents.reset();
        cancelled.reset();
    }

    /** A consistent-enough copy of the totals: exact once the projection has caught up. */
    public Totals totals() {
        return new Totals(totalOrders.get(), amountCents.sum(), lines.sum(), payments.sum(), paidCents.sum(),
                cancelled.sum());
    }

    /** The order amounts summed as {@code double}s, as in the quick start (order-dependent rounding). */
    public double totalAmount() {
        return totalAmount.sum();
    }

    /**
     * The summary's values at one moment.
     *
     * @param orders orders created
     * @param amountCents created amounts plus every line, in cents
     * @param lines lines added
     * @param payments payments received
     * @param paidCents amount paid, in cents
     * @param cancelled orders cancelled
     */
    public record Totals(long orders, long amountCents, long lines, long payments, long paidCents, long cancelled) {

        /** Order amounts in currency units. */
        public double amount() {
            return amountCents / 100.0;
        }

        /** Amount paid in currency units. */
        public double paid() {
            return paidCents / 100.0;
        }
    }
}
