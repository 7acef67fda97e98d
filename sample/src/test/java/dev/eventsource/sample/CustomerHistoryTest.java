package dev.eventsource.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.sample.customer.CreditReserved;
import dev.eventsource.sample.customer.Customer;
import dev.eventsource.sample.customer.RegisterCustomer;
import dev.eventsource.sample.customer.ReserveCredit;
import dev.eventsource.sample.customer.legacy.CustomerRegisteredV1;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.testing.AggregateFixture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Customers registered by earlier releases ("CustomerRegistered" version 1, the limit as a double)
 * still load: the generated chain upcasts them to version 2 (whole cents); new registrations are
 * stored as version 2.
 */
class CustomerHistoryTest {

    @Test
    void a_customer_registered_by_version_1_loads_and_new_ones_are_stored_as_version_2() {
        InMemoryStore store = new InMemoryStore();
        store.append("Customer", "c_old", 0, List.of(new NewEvent(UUID.randomUUID(), "CustomerRegistered", 1,
                Instant.parse("2025-06-01T00:00:00Z"),
                "{\"id\":\"c_old\",\"name\":\"Grace\",\"creditLimit\":1234.56}".getBytes(StandardCharsets.UTF_8), null)));
        try (Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Customer.class);
            engine.start();

            Customer old = engine.load(Customer.class, "c_old").orElseThrow();
            assertThat(old.name()).isEqualTo("Grace");
            assertThat(old.creditLimit()).isEqualTo(1234.56);
            engine.execute(Customer.class, "c_old", new ReserveCredit("order_1", 1000));
            assertThat(engine.load(Customer.class, "c_old").orElseThrow().available()).isEqualTo(234.56);

            engine.execute(Customer.class, "c_new", new RegisterCustomer("c_new", "Ada", 5_000));
            List<String> stored = new ArrayList<>();
            store.readStream("Customer", "c_new", 0,
                    (StoredEvent e) -> stored.add(e.eventType() + "@" + e.eventVersion() + " "
                            + new String(e.payload(), StandardCharsets.UTF_8)));
            assertThat(stored).containsExactly(
                    "CustomerRegistered@2 {\"id\":\"c_new\",\"name\":\"Ada\",\"creditLimitCents\":500000}");
        }
    }

    @Test
    void the_fixture_stores_a_legacy_event_at_its_version_and_the_customer_loads_it_upcast() {
        AggregateFixture.of(Customer.class).withId("c_old")
                .given(new CustomerRegisteredV1("c_old", "Grace", 1234.56))
                .when(new ReserveCredit("order_1", 1000))
                .expectEvents(new CreditReserved("c_old", "order_1", 1000))
                .expectState(c -> {
                    assertThat(c.creditLimit()).isEqualTo(1234.56);
                    assertThat(c.available()).isEqualTo(234.56);
                });
    }
}
