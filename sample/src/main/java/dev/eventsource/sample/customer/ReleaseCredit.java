package dev.eventsource.sample.customer;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/**
 * Gives back credit reserved for an order (paid or cancelled). Never releases more than is
 * reserved.
 *
 * <pre>{@code
 * engine.execute(Customer.class, "c_1", new ReleaseCredit("order_1", 99.99));
 * }</pre>
 *
 * @param orderId the order the credit was for
 * @param amount positive
 */
public record ReleaseCredit(String orderId, double amount) implements Command<Customer> {

    @Override
    public void validate(Customer customer) {
        if (!customer.exists()) {
            throw new CommandValidationException("customer does not exist");
        }
        if (!(amount > 0) || amount > customer.reserved() + 0.005) {
            throw new CommandValidationException("cannot release " + amount + ", " + customer.reserved() + " reserved");
        }
    }

    @Override
    public void perform(Customer customer) {
        customer.record(new CreditReleased(customer.id(), orderId, Math.min(amount, customer.reserved())));
    }
}
