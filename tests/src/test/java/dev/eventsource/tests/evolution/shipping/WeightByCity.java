package dev.eventsource.tests.evolution.shipping;

import dev.eventsource.EventEnvelope;
import dev.eventsource.Resettable;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Booked kilograms per city, and the stored (type, version) of each event it was built from. */
@Projection(name = "weight-by-city")
public class WeightByCity implements Resettable {

    final Map<String, BigDecimal> kilos = new ConcurrentHashMap<>();
    final Map<String, Boolean> delivered = new ConcurrentHashMap<>();
    final List<String> stored = new CopyOnWriteArrayList<>();

    @Apply
    void on(ShipmentBooked e, EventEnvelope<ShipmentBooked> env) {
        kilos.merge(e.to().city(), e.weightKg(), BigDecimal::add);
        stored.add(env.eventType());
    }

    @Apply
    void on(ShipmentDelivered e, EventEnvelope<ShipmentDelivered> env) {
        delivered.put(e.shipmentId(), true);
        stored.add(env.eventType());
    }

    @Override
    public void reset() {
        kilos.clear();
        delivered.clear();
        stored.clear();
    }
}
