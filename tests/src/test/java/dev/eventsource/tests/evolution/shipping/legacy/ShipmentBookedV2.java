package dev.eventsource.tests.evolution.shipping.legacy;

import dev.eventsource.annotations.EventType;

/** Version 2 of "ShipmentBooked": street and city apart, the weight still in grams. */
@EventType(name = "ShipmentBooked", version = 2)
public record ShipmentBookedV2(String shipmentId, String street, String city, int weightGrams) {
}
