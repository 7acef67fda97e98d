package dev.eventsource;

/**
 * A read model that can forget its state, so {@link Engine#rebuildProjection} can replay the log into
 * it from scratch. {@link Projection}s have it already; {@code @Projection} classes implement it to
 * become rebuildable.
 *
 * <pre>{@code
 * @Projection
 * public class OrderSummary implements Resettable {
 *     final AtomicLong totalOrders = new AtomicLong();
 *     @Apply void on(OrderCreated e) { totalOrders.incrementAndGet(); }
 *     @Override public void reset() { totalOrders.set(0); }
 * }
 * }</pre>
 */
public interface Resettable {

    /** Forgets everything the read model learnt from events. */
    void reset();
}
