package dev.eventsource.sample.order;

/**
 * An order was cancelled before it shipped.
 *
 * <pre>{@code
 * order.record(new OrderCancelled("order_1", "customer changed their mind"));
 * }</pre>
 *
 * @param id the order id
 * @param reason why, for the customer service log
 */
public record OrderCancelled(String id, String reason) {
}
