package dev.eventsource.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Optional naming and versioning of an event type. Any record (or final class with a canonical
 * constructor) taken by an {@link Apply} method is an event type; this annotation only fixes the
 * stable name stored with each event, so the class can be renamed or moved freely.
 *
 * <pre>{@code
 * @EventType(name = "order-created", version = 2)
 * public record OrderCreated(String id, String customerId, BigDecimal amount) {}
 * }</pre>
 *
 * <p>Renaming a type whose events are already stored: keep reading the old stored name with
 * {@link #aliases()}. New events are written under {@link #name()}; events stored under an alias
 * decode as this type in aggregates, projections and rebuilds.
 *
 * <pre>{@code
 * @EventType(name = "CustomerRegistered", aliases = {"CustomerSignedUp"})   // was record CustomerSignedUp
 * public record CustomerRegistered(String customerId, String email) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface EventType {

    /** Stable event type name; defaults to the simple class name. */
    String name() default "";

    /** Schema version of the event's payload, stored with every event; starts at 1. */
    int version() default 1;

    /**
     * Former stored names of this type (after a rename) that still decode as this type; each must be
     * non-blank, differ from {@link #name()}, and be no other event type's name or alias in the same
     * compilation.
     */
    String[] aliases() default {};
}
