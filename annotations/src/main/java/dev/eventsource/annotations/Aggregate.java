package dev.eventsource.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event-sourced aggregate. The annotation processor generates its dispatcher, factory,
 * event codecs and snapshot codec; the class must extend {@code dev.eventsource.AggregateRoot} and
 * have an accessible no-arg constructor.
 *
 * <pre>{@code
 * @Aggregate(name = "order", snapshotEvery = 50, snapshotVersion = 2)
 * public class Order extends AggregateRoot {
 *     String id;
 *     @Override public String id() { return id; }
 *     @Apply void on(OrderCreated e) { id = e.id(); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Aggregate {

    /** {@link #snapshotEvery()} value that turns snapshots off for this aggregate. */
    int NO_SNAPSHOTS = -1;

    /**
     * Stable stream type name, stored with every event of this aggregate. Defaults to the simple
     * class name; set it explicitly before renaming the class.
     */
    String name() default "";

    /**
     * Events between two snapshots: {@code 0} takes the engine's default, {@link #NO_SNAPSHOTS}
     * turns snapshots off (and with them the rule that state fields must not be private).
     */
    int snapshotEvery() default 0;

    /**
     * Version of the logic that builds the state, part of the snapshot fingerprint (with the state
     * fields and the {@code @Apply} method bodies): bump it when code outside the {@code @Apply}
     * methods that builds the state changes (a helper they call, say), so snapshots taken by the old
     * code are ignored and the streams replayed. Starts at 1.
     */
    int snapshotVersion() default 1;
}
