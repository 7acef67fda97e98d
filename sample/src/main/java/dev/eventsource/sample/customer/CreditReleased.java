package dev.eventsource.sample.customer;

/**
 * Reserved credit was given back: the order was paid or cancelled.
 *
 * <pre>{@code
 * customer.record(new CreditReleased("c_1", "order_1", 99.99));
 * }</pre>
 *
 * @param customerId the customer id
 * @param orderId the order the credit was for
 * @param amount the amount released
 */
public record CreditReleased(String customerId, String orderId, double amount) {
}
