package dev.eventsource.tests.evolution.shipping;

import dev.eventsource.annotations.EventType;
import java.math.BigDecimal;

/** The current version 3 of "ShipmentBooked": an address record and the weight in kilograms. */
@EventType(name = "ShipmentBooked", version = 3)
public record ShipmentBooked(String shipmentId, Address to, BigDecimal weightKg) {
}
