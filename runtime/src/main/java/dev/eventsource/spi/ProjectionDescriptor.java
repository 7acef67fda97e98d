package dev.eventsource.spi;

import dev.eventsource.EventEnvelope;
import java.util.List;

/**
 * What the runtime needs to know about one {@code @Projection} class, generated as
 * {@code <Projection>_Projection} and found through {@link java.util.ServiceLoader}: its stable name,
 * the event types it handles and a dispatcher.
 *
 * <pre>{@code
 * ProjectionDescriptor<OrderSummary> d = new OrderSummary_Projection();   // generated for OrderSummary
 * d.handle(summary, envelope);   // calls the matching @Apply method, ignores other events
 * }</pre>
 *
 * @param <P> the projection type
 */
public interface ProjectionDescriptor<P> {

    /** The projection class. */
    Class<P> type();

    /** Stable projection name ({@code @Projection(name)}, else the simple class name). */
    String name();

    /** Codecs of every event type some {@code @Apply} method handles, sorted by event type name. */
    List<EventCodec<?>> eventCodecs();

    /**
     * Calls the {@code @Apply} method that takes {@code envelope.data()}; does nothing for an event
     * type the projection does not handle.
     */
    void handle(P projection, EventEnvelope<?> envelope);
}
