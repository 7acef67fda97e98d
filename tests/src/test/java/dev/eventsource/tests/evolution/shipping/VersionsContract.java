package dev.eventsource.tests.evolution.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.EventStore;
import dev.eventsource.tests.evolution.EveryEvent;
import dev.eventsource.store.StoredEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events stored by versions 1 and 2 of the shipping domain (JSON fixtures: "ShipmentBooked" at
 * payload versions 1 and 2, deliveries under the old name "ParcelDelivered") are read by version 3
 * through the generated upcaster chain and the alias: in aggregate loads, an asynchronous
 * {@code @Projection} and its rebuild, and a plain projection ({@link EveryEvent}) that receives
 * every event. New events are written at the current version. Each store runs it with a thin
 * subclass.
 */
public abstract class VersionsContract {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** A store that starts empty. */
    protected abstract EventStore store();

    @Test
    void events_of_versions_1_and_2_are_read_as_version_3_everywhere() {
        EventStore store = store();
        StoredFixtures.append(store, "Shipment", "/evolution/shipping-v1-v2.jsonl");

        WeightByCity weights = new WeightByCity();
        EveryEvent plain = new EveryEvent("every-shipping-event");
        try (Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Shipment.class);
            engine.registerProjection(weights, StreamOptions.named("weight-by-city").partitions(2));
            engine.registerProjection(plain, StreamOptions.named("every-shipping-event"));
            engine.start();

            Shipment s1 = engine.load(Shipment.class, "s-1").orElseThrow();
            assertThat(s1.to).isEqualTo(new Address("1 Quay Street", "Dublin"));
            assertThat(s1.weightKg).isEqualTo(new BigDecimal("1.500"));
            assertThat(s1.deliveredAt).isEqualTo(Instant.parse("2026-01-03T10:00:00Z"));
            assertThat(s1.version()).isEqualTo(2);
            assertThat(engine.load(Shipment.class, "s-3").orElseThrow().to).isEqualTo(new Address("", "Dublin"));

            engine.execute(Shipment.class, "s-2", new Shipment.Deliver(Instant.parse("2026-02-01T08:00:00Z")));
            engine.execute(Shipment.class, "s-4", new Shipment.Book("s-4", new Address("2 Place Bellecour", "Lyon"),
                    new BigDecimal("2.000")));
            assertThat(typesAndVersions(store, "s-2")).as("new events are written at the current version")
                    .containsExactly("ShipmentBooked@2", "ShipmentDelivered@1");
            assertThat(typesAndVersions(store, "s-4")).containsExactly("ShipmentBooked@3");

            assertThat(engine.awaitProjections(WAIT)).isTrue();
            Map<String, BigDecimal> expected = Map.of("Dublin", new BigDecimal("2.000"), "Lyon", new BigDecimal("2.250"));
            assertThat(weights.kilos).isEqualTo(expected);
            assertThat(weights.delivered).containsOnlyKeys("s-1", "s-2");
            assertThat(plain.events).hasSize(6).allMatch(e -> e instanceof ShipmentBooked || e instanceof ShipmentDelivered)
                    .contains(new ShipmentBooked("s-2", new Address("5 Rue Neuve", "Lyon"), new BigDecimal("0.250")),
                            new ShipmentDelivered("s-1", Instant.parse("2026-01-03T10:00:00Z")));

            engine.rebuildProjection(weights);
            assertThat(engine.awaitProjections(WAIT)).isTrue();
            assertThat(weights.kilos).as("rebuilt through the chain again").isEqualTo(expected);
            assertThat(weights.stored).containsExactlyInAnyOrder("ShipmentBooked", "ParcelDelivered", "ShipmentBooked",
                    "ShipmentBooked", "ShipmentDelivered", "ShipmentBooked");
        }
    }

    static List<String> typesAndVersions(EventStore store, String id) {
        List<String> stored = new ArrayList<>();
        store.readStream("Shipment", id, 0, (StoredEvent e) -> stored.add(e.eventType() + "@" + e.eventVersion()));
        return stored;
    }
}
