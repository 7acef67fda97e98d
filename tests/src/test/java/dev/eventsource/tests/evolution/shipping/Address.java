package dev.eventsource.tests.evolution.shipping;

/** Where a shipment goes. */
public record Address(String street, String city) {
}
