package dev.eventsource.sample.order;

import dev.eventsource.AggregateRoot;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;

/**
 * An order: the quick start's aggregate grown into a small but real one with lines, payments and
 * cancellation. State changes only in the {@code @Apply} methods, which the annotation processor
 * wires into a generated dispatcher ({@code Order_Aggregate}); commands decide, events change
 * state. Fields are package-private so the generated snapshot codec can read and write them
 * without reflection.
 *
 * <pre>{@code
 * Order order = engine.execute(Order.class, "order_1", new CreateOrder("order_1", "c_1", 99.99));
 * order.status();   // "created"
 * }</pre>
 */
@Aggregate
public class Order extends AggregateRoot {

    String id;
    String customerId;
    String status;
    double amount;
    double paid;
    int lineCount;
    int itemCount;
    String cancelReason;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(OrderCreated e) {
        id = e.id();
        customerId = e.customerId();
        amount = e.amount();
        status = OrderStatus.CREATED;
    }

    @Apply
    void on(OrderLineAdded e) {
        lineCount++;
        itemCount += e.quantity();
        amount += e.total();
    }

    @Apply
    void on(OrderStatusChanged e) {
        status = e.status();
    }

    @Apply
    void on(OrderPaid e) {
        paid += e.amount();
    }

    @Apply
    void on(OrderCancelled e) {
        status = OrderStatus.CANCELLED;
        cancelReason = e.reason();
    }

    /** Whether the order has been created (a new id has no events yet). */
    public boolean exists() {
        return version() > 0;
    }

    /** The customer who placed the order. */
    public String customerId() {
        return customerId;
    }

    /** The current status, one of {@link OrderStatus#ALL}. */
    public String status() {
        return status;
    }

    /** The order's total: initial amount plus every line. */
    public double amount() {
        return amount;
    }

    /** The sum of payments received. */
    public double paid() {
        return paid;
    }

    /** What remains to be paid; cents-rounded so that repeated additions compare reliably. */
    public double outstanding() {
        return Math.round((amount - paid) * 100.0) / 100.0;
    }

    /** Number of lines added after creation. */
    public int lineCount() {
        return lineCount;
    }

    /** Sum of the quantities of every line. */
    public int itemCount() {
        return itemCount;
    }

    /** Why the order was cancelled, or {@code null}. */
    public String cancelReason() {
        return cancelReason;
    }

    /** An immutable copy of the whole state, for comparisons and reports. */
    public State state() {
        return new State(id, customerId, status, amount, paid, lineCount, itemCount, cancelReason, version());
    }

    /**
     * Every field of an {@link Order} plus its version, as a value.
     *
     * @param id order id
     * @param customerId customer id
     * @param status current status
     * @param amount total amount
     * @param paid sum of payments
     * @param lineCount lines added
     * @param itemCount items over all lines
     * @param cancelReason cancellation reason or {@code null}
     * @param version number of events applied
     */
    public record State(String id, String customerId, String status, double amount, double paid,
                        int lineCount, int itemCount, String cancelReason, long version) {
    }
}
