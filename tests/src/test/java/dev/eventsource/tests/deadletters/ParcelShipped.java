package dev.eventsource.tests.deadletters;

import dev.eventsource.annotations.EventType;

/** The current version 2 of "ParcelShipped": the carrier and the service level. */
@EventType(name = "ParcelShipped", version = 2)
public record ParcelShipped(String parcelId, String carrier, String service) {
}
