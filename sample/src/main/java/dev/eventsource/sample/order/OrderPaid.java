package dev.eventsource.sample.order;

import dev.eventsource.annotations.EventType;

/**
 * A payment was received for an order. The explicit {@code @EventType} pins the stored name and
 * payload version, so the class can be renamed later without breaking stored events.
 *
 * <pre>{@code
 * order.record(new OrderPaid("order_1", "pay_7", 99.99));
 * }</pre>
 *
 * @param id the order id
 * @param paymentId the payment provider's reference
 * @param amount the amount paid, positive
 */
@EventType(name = "OrderPaid", version = 1)
public record OrderPaid(String id, String paymentId, double amount) {
}
