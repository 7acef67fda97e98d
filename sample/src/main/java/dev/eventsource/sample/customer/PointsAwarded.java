package dev.eventsource.sample.customer;

/**
 * A customer earned loyalty points for a payment on one of their orders.
 *
 * <pre>{@code
 * customer.record(new PointsAwarded("c_1", "order_1", 99));
 * }</pre>
 *
 * @param customerId the customer
 * @param orderId the order whose payment earned them
 * @param points how many, positive
 */
public record PointsAwarded(String customerId, String orderId, long points) {
}
