package dev.eventsource.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a read model fed by events through its {@link Apply} methods. The processor generates a
 * dispatcher and a descriptor; register an instance with {@code Engine.registerProjection}.
 *
 * <pre>{@code
 * @Projection(name = "order-summary")
 * public class OrderSummary {
 *     final AtomicLong orders = new AtomicLong();
 *     @Apply void on(OrderCreated e) { orders.incrementAndGet(); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Projection {

    /**
     * Stable projection name, the key of its checkpoints. Defaults to the simple class name; set it
     * explicitly before renaming the class.
     */
    String name() default "";
}
