package dev.eventsource.tests.evolution.shipping.legacy;

import dev.eventsource.annotations.EventType;
import dev.eventsource.annotations.Upcast;

/**
 * Version 1 of "ShipmentBooked", as the first release stored it: the destination as one line
 * ({@code "street, city"}) and the weight in grams.
 */
@EventType(name = "ShipmentBooked", version = 1)
public record ShipmentBookedV1(String shipmentId, String destination, int weightGrams) {

    /** Version 2 split the destination line at its last comma. */
    @Upcast
    public static ShipmentBookedV2 toV2(ShipmentBookedV1 v1) {
        int comma = v1.destination().lastIndexOf(',');
        String street = comma < 0 ? "" : v1.destination().substring(0, comma).trim();
        String city = v1.destination().substring(comma + 1).trim();
        return new ShipmentBookedV2(v1.shipmentId(), street, city, v1.weightGrams());
    }
}
