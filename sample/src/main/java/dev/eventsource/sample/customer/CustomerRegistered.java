package dev.eventsource.sample.customer;

/**
 * A customer was registered with a credit limit.
 *
 * <pre>{@code
 * customer.record(new CustomerRegistered("c_1", "Ada", 5_000));
 * }</pre>
 *
 * @param id the customer id
 * @param name display name
 * @param creditLimit the most their unpaid orders may add up to
 */
public record CustomerRegistered(String id, String name, double creditLimit) {
}
