package dev.eventsource.tests.quickstart;

import dev.eventsource.CommandValidationException;
import dev.eventsource.testing.AggregateFixture;
import org.junit.jupiter.api.Test;

/** The README's quick-start test of the aggregate, with the testing kit's fixture, as written there. */
class OrderTest {

    @Test
    void createsAnOrder() {
        AggregateFixture.of(Order.class).withId("order_1")
                .when(new CreateOrder("order_1", "c_1", 99.99))
                .expectEvents(new OrderCreated("order_1", "c_1", 99.99));
    }

    @Test
    void refusesANonPositiveAmount() {
        AggregateFixture.of(Order.class).withId("order_1")
                .when(new CreateOrder("order_1", "c_1", 0))
                .expectRejected(CommandValidationException.class, "amount must be positive");
    }
}
