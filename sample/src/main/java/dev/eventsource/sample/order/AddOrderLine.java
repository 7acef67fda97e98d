package dev.eventsource.sample.order;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/**
 * Adds a line to an order that is still in status {@code created}.
 *
 * <pre>{@code
 * engine.execute(Order.class, "order_1", new AddOrderLine("sku-42", 2, 9.5));
 * }</pre>
 *
 * @param sku the product
 * @param quantity how many, positive
 * @param unitPrice price of one item, not negative
 */
public record AddOrderLine(String sku, int quantity, double unitPrice) implements Command<Order> {

    @Override
    public void validate(Order order) {
        OrderRules.requireExisting(order);
        if (!OrderStatus.CREATED.equals(order.status())) {
            throw new CommandValidationException("cannot add lines to a " + order.status() + " order");
        }
        OrderRules.requireText("sku", sku);
        OrderRules.requirePositive("quantity", quantity);
        if (unitPrice < 0) {
            throw new CommandValidationException("unit price must not be negative, was " + unitPrice);
        }
    }

    @Override
    public void perform(Order order) {
        order.record(new OrderLineAdded(order.id(), sku, quantity, unitPrice));
    }
}
