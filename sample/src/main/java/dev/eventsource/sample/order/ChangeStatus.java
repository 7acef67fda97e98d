package dev.eventsource.sample.order;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/**
 * Moves an order along its lifecycle ({@link OrderStatus}). Confirming needs the order fully paid;
 * cancelling goes through {@link CancelOrder}. Asking for the status the order already has records
 * nothing, so nothing is appended.
 *
 * <pre>{@code
 * engine.execute(Order.class, "order_1", new ChangeStatus(OrderStatus.CONFIRMED));
 * }</pre>
 *
 * @param status the wanted status
 */
public record ChangeStatus(String status) implements Command<Order> {

    @Override
    public void validate(Order order) {
        OrderRules.requireExisting(order);
        if (!OrderStatus.isKnown(status)) {
            throw new CommandValidationException("unknown status '" + status + "', expected one of " + OrderStatus.ALL);
        }
        if (OrderStatus.CANCELLED.equals(status)) {
            throw new CommandValidationException("use CancelOrder to cancel an order");
        }
        if (status.equals(order.status())) {
            return;
        }
        if (!OrderStatus.canMove(order.status(), status)) {
            throw new CommandValidationException("cannot move a " + order.status() + " order to " + status);
        }
        if (OrderStatus.CONFIRMED.equals(status) && order.outstanding() > 0) {
            throw new CommandValidationException("cannot confirm: " + order.outstanding() + " still to pay");
        }
    }

    @Override
    public void perform(Order order) {
        if (!status.equals(order.status())) {
            order.record(new OrderStatusChanged(order.id(), status));
        }
    }
}
