package dev.eventsource.sample.readmodel;

import dev.eventsource.EventEnvelope;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import dev.eventsource.sample.order.OrderCreated;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which checkouts produced orders, from the metadata the application attached to the command
 * ({@code engine.execute(type, id, command, Map.of("checkout", ...))}): an {@code @Apply} method
 * with a second {@link EventEnvelope} parameter sees the event's metadata, global position and
 * timestamp as well as the event.
 *
 * <pre>{@code
 * CheckoutLog log = new CheckoutLog();
 * engine.registerProjection(log, StreamOptions.named("checkouts"));
 * log.withCheckout();   // orders whose creation carried a "checkout" metadata entry
 * }</pre>
 *
 * <p>Runs on one partition worker at a time; read from any thread.
 */
@Projection(name = "checkout-log")
public class CheckoutLog {

    /** The metadata key the sample's application puts on order creations. */
    public static final String CHECKOUT = "checkout";

    final LongAdder withCheckout = new LongAdder();
    final LongAdder withoutCheckout = new LongAdder();
    final AtomicLong lastPosition = new AtomicLong();
    final AtomicReference<Instant> lastCreatedAt = new AtomicReference<>();

    @Apply
    void on(OrderCreated e, EventEnvelope<OrderCreated> envelope) {
        if (envelope.metadata().containsKey(CHECKOUT)) {
            withCheckout.increment();
        } else {
            withoutCheckout.increment();
        }
        lastPosition.accumulateAndGet(envelope.globalPosition(), Math::max);
        lastCreatedAt.set(envelope.timestamp());
    }

    /** Orders whose creation carried a checkout id. */
    public long withCheckout() {
        return withCheckout.sum();
    }

    /** Orders created without one. */
    public long withoutCheckout() {
        return withoutCheckout.sum();
    }

    /** Global position of the newest order creation seen. */
    public long lastPosition() {
        return lastPosition.get();
    }

    /** When the newest order creation seen was recorded, or {@code null}. */
    public Instant lastCreatedAt() {
        return lastCreatedAt.get();
    }
}
