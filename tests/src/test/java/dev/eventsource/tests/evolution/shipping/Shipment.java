package dev.eventsource.tests.evolution.shipping;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.CommandValidationException;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A shipment, version 3 of the domain: its stream holds "ShipmentBooked" events of versions 1, 2 and
 * 3 and deliveries stored as "ParcelDelivered" or "ShipmentDelivered"; it only ever sees the current
 * classes.
 */
@Aggregate(name = "Shipment", snapshotEvery = Aggregate.NO_SNAPSHOTS)
public class Shipment extends AggregateRoot {

    String id;
    Address to;
    BigDecimal weightKg;
    Instant deliveredAt;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(ShipmentBooked e) {
        id = e.shipmentId();
        to = e.to();
        weightKg = e.weightKg();
    }

    @Apply
    void on(ShipmentDelivered e) {
        deliveredAt = e.at();
    }

    /** Books a new shipment. */
    public record Book(String id, Address to, BigDecimal weightKg) implements Command<Shipment> {
        @Override
        public void perform(Shipment shipment) {
            shipment.record(new ShipmentBooked(id, to, weightKg));
        }
    }

    /** Marks the shipment delivered. */
    public record Deliver(Instant at) implements Command<Shipment> {
        @Override
        public void validate(Shipment shipment) {
            if (shipment.deliveredAt != null) {
                throw new CommandValidationException("shipment " + shipment.id + " was delivered already");
            }
        }

        @Override
        public void perform(Shipment shipment) {
            shipment.record(new ShipmentDelivered(shipment.id, at));
        }
    }
}
