package dev.eventsource.sample.order;

/**
 * An order moved to a new status (see {@link OrderStatus} for the allowed moves).
 *
 * <pre>{@code
 * order.record(new OrderStatusChanged("order_1", OrderStatus.SHIPPED));
 * }</pre>
 *
 * @param id the order id
 * @param status the new status
 */
public record OrderStatusChanged(String id, String status) {
}
