package dev.eventsource.sample.customer;

import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;

/**
 * Awards loyalty points for a payment: one point per whole euro paid. Rejected for a payment under
 * one euro (no points to award) and for a customer that does not exist. Executed by the
 * {@link dev.eventsource.sample.process.LoyaltyOnPayment} reaction, not by users.
 *
 * <pre>{@code
 * engine.execute(Customer.class, "c_1", new AwardPoints("order_1", 99.99));   // 99 points
 * }</pre>
 *
 * @param orderId the paid order
 * @param paid the amount paid
 */
public record AwardPoints(String orderId, double paid) implements Command<Customer> {

    @Override
    public void validate(Customer customer) {
        if (!customer.exists()) {
            throw new CommandValidationException("customer does not exist");
        }
        if (paid < 1) {
            throw new CommandValidationException("no points for a payment of " + paid + ", under 1.00");
        }
    }

    @Override
    public void perform(Customer customer) {
        customer.record(new PointsAwarded(customer.id(), orderId, (long) paid));
    }
}
