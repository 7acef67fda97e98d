package dev.eventsource.tests.evolution.v1;

/** Release 1: the destination as one line, the weight in grams. Stored as "ShipmentBooked", version 1. */
public record ShipmentBooked(String shipmentId, String destination, int weightGrams) {
}
