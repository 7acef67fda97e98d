package dev.eventsource.sample.customer.legacy;

import dev.eventsource.annotations.EventType;
import dev.eventsource.annotations.Upcast;
import dev.eventsource.sample.customer.CustomerRegistered;

/**
 * Version 1 of "CustomerRegistered", as the first releases stored it: the credit limit as a
 * {@code double}. Only read: the processor's generated chain turns each stored version 1 event into
 * the current {@link CustomerRegistered} before {@code Customer} sees it.
 *
 * <pre>{@code
 * CustomerRegistered now = CustomerRegisteredV1.toV2(new CustomerRegisteredV1("c_1", "Ada", 5_000));
 * }</pre>
 *
 * @param id the customer id
 * @param name display name
 * @param creditLimit the limit in euros, with cents as a fraction
 */
@EventType(name = "CustomerRegistered", version = 1)
public record CustomerRegisteredV1(String id, String name, double creditLimit) {

    /** Version 2 keeps money in whole cents. */
    @Upcast
    public static CustomerRegistered toV2(CustomerRegisteredV1 v1) {
        return new CustomerRegistered(v1.id(), v1.name(), Math.round(v1.creditLimit() * 100));
    }
}
