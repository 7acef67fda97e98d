package dev.eventsource.sample.order;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/**
 * Cancels an order that has not shipped yet.
 *
 * <pre>{@code
 * engine.execute(Order.class, "order_1", new CancelOrder("out of stock"));
 * }</pre>
 *
 * @param reason why, kept on the order
 */
public record CancelOrder(String reason) implements Command<Order> {

    @Override
    public void validate(Order order) {
        OrderRules.requireExisting(order);
        OrderRules.requireText("reason", reason);
        if (!OrderStatus.canMove(order.status(), OrderStatus.CANCELLED)) {
            throw new CommandValidationException("cannot cancel a " + order.status() + " order");
        }
    }

    @Override
    public void perform(Order order) {
        order.record(new OrderCancelled(order.id(), reason));
    }
}
