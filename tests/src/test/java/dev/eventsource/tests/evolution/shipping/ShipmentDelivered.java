package dev.eventsource.tests.evolution.shipping;

import dev.eventsource.annotations.EventType;
import java.time.Instant;

/** A shipment arrived; the first release called it {@code ParcelDelivered}. */
@EventType(name = "ShipmentDelivered", aliases = {"ParcelDelivered"})
public record ShipmentDelivered(String shipmentId, Instant at) {
}
