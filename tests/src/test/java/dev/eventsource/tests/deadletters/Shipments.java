package dev.eventsource.tests.deadletters;

import dev.eventsource.EventEnvelope;
import dev.eventsource.Resettable;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every shipment it handled. Has a bug while {@link #brokenCarrier} is set: it fails on that
 * carrier's shipments. Counts calls overlapping in time: the engine calls a projection from one
 * thread per partition, so with one partition it must never make one, retries included.
 */
@Projection(name = "shipments")
public class Shipments implements Resettable {

    /** One handled shipment. */
    public record Shipment(long position, String parcelId, String carrier, String service) {
    }

    private final List<Shipment> shipments = new CopyOnWriteArrayList<>();
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

    /** A copy of what it handled. */
    List<Shipment> shipments() {
        return List.copyOf(shipments);
    }

    @Override
    public void reset() {
        shipments.clear();
    }
}
