package dev.eventsource.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method that turns version N of an event into version N+1 of the same stable name.
 * The processor chains the upcasters of a name, so decoding an event stored at any older version
 * yields the current class: the one {@link Apply} methods take and the one written.
 *
 * <pre>{@code
 * @EventType(name = "OrderPlaced", version = 1)             // legacy: only read, never written
 * public record OrderPlacedV1(String orderId, double total) {
 *     @Upcast
 *     static OrderPlaced toV2(OrderPlacedV1 v1) {
 *         return new OrderPlaced(v1.orderId(), BigDecimal.valueOf(v1.total()), "EUR");
 *     }
 * }
 *
 * @EventType(name = "OrderPlaced", version = 2)             // current
 * record OrderPlaced(String orderId, BigDecimal total, String currency) {}
 * }</pre>
 *
 * <p>The method is static, not private, takes exactly one parameter (the version N record) and
 * returns the version N+1 record; it may live in either class or in any class of the compilation.
 * Every legacy version needs exactly one upcaster to the next; a missing, duplicate or skipping step
 * is a compile error. An upcaster should be a pure function of its argument: it runs every time an
 * old event is read (aggregate loads, projections, rebuilds, dead-letter retries), never once.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Upcast {
}
