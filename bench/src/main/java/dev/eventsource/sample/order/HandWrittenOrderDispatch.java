package dev.eventsource.sample.order;

/**
 * The dispatcher a careful developer would write by hand for {@link Order}: an {@code instanceof}
 * chain calling the {@code @Apply} methods. It lives in the bench module but in {@code Order}'s
 * package, because the {@code @Apply} methods are package-private (exactly like the generated
 * {@code Order_Aggregate}, which it is compared with). The tests are in the order the
 * {@code @Apply} methods are declared, as the generated one's are, so that only the mechanism differs.
 *
 * <pre>{@code
 * HandWrittenOrderDispatch.apply(order, new OrderPaid("order_1", "pay_1", 10.0));
 * }</pre>
 */
public final class HandWrittenOrderDispatch {

    private HandWrittenOrderDispatch() {
    }

    /** Applies {@code event} to {@code order}. */
    public static void apply(Order order, Object event) {
        if (event instanceof OrderCreated e) {
            order.on(e);
        } else if (event instanceof OrderLineAdded e) {
            order.on(e);
        } else if (event instanceof OrderStatusChanged e) {
            order.on(e);
        } else if (event instanceof OrderPaid e) {
            order.on(e);
        } else if (event instanceof OrderCancelled e) {
            order.on(e);
        } else {
            throw new IllegalArgumentException("Order has no @Apply method for " + event.getClass().getName());
        }
    }
}
