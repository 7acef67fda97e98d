package dev.eventsource.sample.order;

/**
 * An order was placed for a customer with an initial amount.
 *
 * <pre>{@code
 * order.record(new OrderCreated("order_1", "c_1", 99.99));
 * }</pre>
 *
 * @param id the order id
 * @param customerId the customer who placed it
 * @param amount the initial amount
 */
public record OrderCreated(String id, String customerId, double amount) {
}
