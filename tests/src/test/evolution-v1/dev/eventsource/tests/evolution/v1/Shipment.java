package dev.eventsource.tests.evolution.v1;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;
import java.time.Instant;

/** Release 1 of the shipment aggregate. */
@Aggregate(name = "Shipment", snapshotEvery = Aggregate.NO_SNAPSHOTS)
public class Shipment extends AggregateRoot {

    String id;
    boolean delivered;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(ShipmentBooked e) {
        id = e.shipmentId();
    }

    @Apply
    void on(ParcelDelivered e) {
        delivered = true;
    }

    /** Books a shipment. */
    public record Book(String id, String destination, int grams) implements Command<Shipment> {
        @Override
        public void perform(Shipment shipment) {
            shipment.record(new ShipmentBooked(id, destination, grams));
        }
    }

    /** Delivers it. */
    public record Deliver(Instant at) implements Command<Shipment> {
        @Override
        public void perform(Shipment shipment) {
            shipment.record(new ParcelDelivered(shipment.id, at));
        }
    }
}
