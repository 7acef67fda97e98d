package dev.eventsource.sample.customer;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/**
 * Registers a new customer.
 *
 * <pre>{@code
 * engine.execute(Customer.class, "c_1", new RegisterCustomer("c_1", "Ada", 5_000));
 * }</pre>
 *
 * @param id the new customer's id, the same as the id passed to {@code execute}
 * @param name display name
 * @param creditLimit not negative
 */
public record RegisterCustomer(String id, String name, double creditLimit) implements Command<Customer> {

    @Override
    public void validate(Customer customer) {
        if (customer.exists()) {
            throw new CommandValidationException("customer " + id + " already exists");
        }
        if (name == null || name.isBlank()) {
            throw new CommandValidationException("name must not be blank");
        }
        if (creditLimit < 0) {
            throw new CommandValidationException("credit limit must not be negative, was " + creditLimit);
        }
    }

    @Override
    public void perform(Customer customer) {
        customer.record(new CustomerRegistered(id, name, Math.round(creditLimit * 100)));
    }
}
