package dev.eventsource.sample.customer;

/**
 * Part of a customer's credit was reserved for an unpaid order amount.
 *
 * <pre>{@code
 * customer.record(new CreditReserved("c_1", "order_1", 99.99));
 * }</pre>
 *
 * @param customerId the customer id
 * @param orderId the order the credit is for
 * @param amount the amount reserved
 */
public record CreditReserved(String customerId, String orderId, double amount) {
}
