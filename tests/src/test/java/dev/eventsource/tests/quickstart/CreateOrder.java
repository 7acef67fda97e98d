package dev.eventsource.tests.quickstart;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

public record CreateOrder(String id, String customerId, double amount) implements Command<Order> {
    @Override public void validate(Order order) {          // optional; default does nothing
        if (amount <= 0) throw new CommandValidationException("amount must be positive");
    }
    @Override public void perform(Order order) { order.record(new OrderCreated(id, customerId, amount)); }
}
