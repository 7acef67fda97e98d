package dev.eventsource.sample.order;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/**
 * Records a payment. Rejected for a cancelled order and for more than what remains to be paid.
 *
 * <pre>{@code
 * engine.execute(Order.class, "order_1", new PayOrder("pay_7", 99.99));
 * }</pre>
 *
 * @param paymentId the payment provider's reference
 * @param amount the amount paid, positive
 */
public record PayOrder(String paymentId, double amount) implements Command<Order> {

    @Override
    public void validate(Order order) {
        OrderRules.requireExisting(order);
        OrderRules.requireText("payment id", paymentId);
        OrderRules.requirePositive("payment amount", amount);
        if (OrderStatus.CANCELLED.equals(order.status())) {
            throw new CommandValidationException("cannot pay a cancelled order");
        }
        if (amount > order.outstanding() + 0.005) {
            throw new CommandValidationException("payment " + amount + " exceeds the outstanding " + order.outstanding());
        }
    }

    @Override
    public void perform(Order order) {
        order.record(new OrderPaid(order.id(), paymentId, amount));
    }
}
