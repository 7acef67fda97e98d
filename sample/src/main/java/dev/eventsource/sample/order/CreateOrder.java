package dev.eventsource.sample.order;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/**
 * Places a new order. Rejected when the id is already taken or the amount is not positive.
 *
 * <pre>{@code
 * engine.execute(Order.class, "order_1", new CreateOrder("order_1", "c_1", 99.99));
 * }</pre>
 *
 * @param id the new order's id, the same as the id passed to {@code execute}
 * @param customerId who places it
 * @param amount initial amount, positive
 */
public record CreateOrder(String id, String customerId, double amount) implements Command<Order> {

    @Override
    public void validate(Order order) {
        if (order.exists()) {
            throw new CommandValidationException("order " + id + " already exists");
        }
        OrderRules.requireText("customer id", customerId);
        OrderRules.requirePositive("amount", amount);
    }

    @Override
    public void perform(Order order) {
        order.record(new OrderCreated(id, customerId, amount));
    }
}
