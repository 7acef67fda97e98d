package dev.eventsource.tests.evolution.v1;

import java.time.Instant;

/** Release 1's name for a delivery; release 3 reads it through @EventType(aliases). */
public record ParcelDelivered(String shipmentId, Instant at) {
}
