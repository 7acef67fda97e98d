package dev.eventsource.tests.deadletters.legacy;

import dev.eventsource.annotations.EventType;
import dev.eventsource.annotations.Upcast;
import dev.eventsource.tests.deadletters.ParcelShipped;

/** Version 1 of "ParcelShipped", from before parcels had a service level. Legacy: read, never written. */
@EventType(name = "ParcelShipped", version = 1)
public record ParcelShippedV1(String parcelId, String carrier) {

    /** Every parcel shipped before version 2 went by the standard service. */
    @Upcast
    public static ParcelShipped up(ParcelShippedV1 v1) {
        return new ParcelShipped(v1.parcelId(), v1.carrier(), "standard");
    }
}
