package dev.eventsource.sample.customer;

import dev.eventsource.annotations.EventType;

/**
 * A customer was registered with a credit limit. Version 2: version 1 stored the limit as a
 * {@code double} of euros; those events are still read, through
 * {@link dev.eventsource.sample.customer.legacy.CustomerRegisteredV1}'s upcaster.
 *
 * <pre>{@code
 * customer.record(new CustomerRegistered("c_1", "Ada", 500_000));   // 5,000.00
 * }</pre>
 *
 * @param id the customer id
 * @param name display name
 * @param creditLimitCents the most their unpaid orders may add up to, in cents
 */
@EventType(name = "CustomerRegistered", version = 2)
public record CustomerRegistered(String id, String name, long creditLimitCents) {
}
