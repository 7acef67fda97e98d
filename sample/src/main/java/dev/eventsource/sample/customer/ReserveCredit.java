package dev.eventsource.sample.customer;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/**
 * Reserves credit for an order amount; rejected when it would exceed the customer's limit.
 *
 * <pre>{@code
 * engine.execute(Customer.class, "c_1", new ReserveCredit("order_1", 99.99));
 * }</pre>
 *
 * @param orderId the order the credit is for
 * @param amount positive
 */
public record ReserveCredit(String orderId, double amount) implements Command<Customer> {

    @Override
    public void validate(Customer customer) {
        if (!customer.exists()) {
            throw new CommandValidationException("customer does not exist");
        }
        if (!(amount > 0)) {
            throw new CommandValidationException("amount must be positive, was " + amount);
        }
        if (amount > customer.available() + 0.005) {
            throw new CommandValidationException("credit limit exceeded: " + amount + " requested, "
                    + customer.available() + " available");
        }
    }

    @Override
    public void perform(Customer customer) {
        customer.record(new CreditReserved(customer.id(), orderId, amount));
    }
}
