package dev.eventsource.tests.evolution.shipping;

import dev.eventsource.annotations.Upcast;
import dev.eventsource.tests.evolution.shipping.legacy.ShipmentBookedV2;
import java.math.BigDecimal;

/** The upcaster from version 2 to the current version 3, kept next to the current class. */
final class ShippingUpcasters {

    private ShippingUpcasters() {
    }

    @Upcast
    static ShipmentBooked toV3(ShipmentBookedV2 v2) {
        return new ShipmentBooked(v2.shipmentId(), new Address(v2.street(), v2.city()),
                BigDecimal.valueOf(v2.weightGrams()).movePointLeft(3));
    }
}
