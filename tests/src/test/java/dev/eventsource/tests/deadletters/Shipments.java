package dev.eventsource.tests.deadletters;

import dev.eventsource.EventEnvelope;
import dev.eventsource.Resettable;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every shipment it handled, with the stored payload version it came from. Has a bug while
 * {@link #brokenCarrier} is set: it fails on that carrier's shipments. Not thread-safe on purpose: a
 * plain list, and a check that counts calls overlapping in time.
 */
@Projection(name = "shipments")
public class Shipments implements Resettable {

    /** One handled shipment. */
    public record Shipment(long position, String parcelId, String carrier, String service) {
    }

    private final List<Shipment> shipments = new ArrayList<>();
    private final AtomicBoolean inside = new AtomicBoolean();
    final AtomicInteger overlaps = new AtomicInteger();
    volatile String brokenCarrier;

    @Apply
    void on(ParcelShipped e, EventEnvelope<ParcelShipped> env) {
        if (!inside.compareAndSet(false, true)) {
            overlaps.incrementAndGet();
        }
        try {
            if (e.carrier().equals(brokenCarrier)) {
                throw new IllegalStateException("bug: cannot ship with " + e.carrier());
            }
            shipments.add(new Shipment(env.globalPosition(), e.parcelId(), e.carrier(), e.service()));
        } finally {
            inside.set(false);
        }
    }

    /** A copy of what it handled; read it once the projection caught up. */
    List<Shipment> shipments() {
        return List.copyOf(shipments);
    }

    @Override
    public void reset() {
        shipments.clear();
    }
}
