package dev.eventsource.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that applies one event type to the state of an {@link Aggregate} or a
 * {@link Projection}. The first parameter is the event; an optional second parameter of type
 * {@code dev.eventsource.EventEnvelope<E>} gives the event's metadata (stream, version, position,
 * id, timestamp). The method must not be private or static.
 *
 * <pre>{@code
 * @Aggregate
 * public class Order extends AggregateRoot {
 *     String id; String status; Instant changedAt;
 *     @Override public String id() { return id; }
 *     @Apply void on(OrderCreated e) { id = e.id(); status = "created"; }
 *     @Apply void on(OrderStatusChanged e, EventEnvelope<OrderStatusChanged> env) {
 *         status = e.status();
 *         changedAt = env.timestamp();
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Apply {
}
