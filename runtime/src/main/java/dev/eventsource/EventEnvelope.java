package dev.eventsource;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event with everything known about it: where it belongs, its place in the stream and in the
 * global log, its id and time, and free-form metadata.
 *
 * <pre>{@code
 * @Projection
 * public class LastChange {
 *     Instant changedAt; long position;
 *     @Apply void on(OrderStatusChanged e, EventEnvelope<OrderStatusChanged> env) {
 *         changedAt = env.timestamp();
 *         position = env.globalPosition();
 *     }
 * }
 * }</pre>
 *
 * @param data the event itself
 * @param eventType stable event type name
 * @param streamType stable stream (aggregate) type name
 * @param streamId the aggregate id
 * @param version the event's version within its stream, from 1
 * @param globalPosition position in the global log, from 1; {@code 0} while not yet committed
 * @param eventId UUIDv7, time-ordered
 * @param timestamp when the event was recorded
 * @param metadata free-form key/value pairs (correlation ids, user, ...); never {@code null}
 * @param <E> the event type
 */
public record EventEnvelope<E>(
        E data,
        String eventType,
        String streamType,
        String streamId,
        long version,
        long globalPosition,
        UUID eventId,
        Instant timestamp,
        Map<String, String> metadata) {

    /** Checks that nothing is missing and freezes the metadata. */
    public EventEnvelope {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(timestamp, "timestamp");
        metadata = metadata == null || metadata.isEmpty() ? Map.of() : Map.copyOf(metadata);
    }
}
