package dev.eventsource.tests.evolution.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.CommandValidationException;
import dev.eventsource.tests.evolution.shipping.legacy.ShipmentBookedV1;
import dev.eventsource.tests.evolution.shipping.legacy.ShipmentBookedV2;
import dev.eventsource.testing.AggregateFixture;
import dev.eventsource.testing.ProjectionFixture;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Given events at a legacy version: stored at that version and read through the upcasters, as in production. */
class VersionedFixturesTest {

    private static final Instant AT = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void an_aggregate_given_a_version_1_event_loads_it_through_the_chain() {
        AggregateFixture.of(Shipment.class).withId("s1")
                .given(new ShipmentBookedV1("s1", "Main St 1, Oslo", 2500))
                .when(new Shipment.Deliver(AT))
                .expectEvents(new ShipmentDelivered("s1", AT))
                .expectState(s -> {
                    assertThat(s.to).isEqualTo(new Address("Main St 1", "Oslo"));
                    assertThat(s.weightKg).isEqualByComparingTo("2.5");
                    assertThat(s.deliveredAt).isEqualTo(AT);
                });
        AggregateFixture.of(Shipment.class).withId("s2")
                .given(new ShipmentBookedV2("s2", "Quay 3", "Bergen", 900), new ShipmentDelivered("s2", AT))
                .when(new Shipment.Deliver(AT))
                .expectRejected(CommandValidationException.class, "shipment s2 was delivered already");
    }

    @Test
    void a_projection_given_every_version_reads_each_as_the_current_one() {
        ProjectionFixture.of(new WeightByCity())
                .given(new ShipmentBookedV1("s1", "Main St 1, Oslo", 2500),
                        new ShipmentBookedV2("s2", "Quay 3", "Oslo", 500),
                        new ShipmentBooked("s3", new Address("Ring 9", "Bergen"), new BigDecimal("1.25")),
                        new ShipmentDelivered("s1", AT))
                .expectState(p -> {
                    assertThat(p.kilos).containsOnlyKeys("Oslo", "Bergen");
                    assertThat(p.kilos.get("Oslo")).isEqualByComparingTo("3.0");
                    assertThat(p.kilos.get("Bergen")).isEqualByComparingTo("1.25");
                    assertThat(p.delivered).isEqualTo(Map.of("s1", true));
                    assertThat(p.stored).isEqualTo(List.of("ShipmentBooked", "ShipmentBooked", "ShipmentBooked",
                            "ShipmentDelivered"));
                });
    }
}
