package dev.eventsource.sample.order;

/**
 * A line was added to an order that is still open; the order's amount grows by
 * {@code quantity * unitPrice}.
 *
 * <pre>{@code
 * order.record(new OrderLineAdded("order_1", "sku-42", 2, 9.5));
 * }</pre>
 *
 * @param orderId the order id
 * @param sku the product
 * @param quantity how many, positive
 * @param unitPrice price of one item, not negative
 */
public record OrderLineAdded(String orderId, String sku, int quantity, double unitPrice) {

    /** The amount this line adds to the order. */
    public double total() {
        return quantity * unitPrice;
    }
}
