package dev.eventsource;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * @param metadata key/value pairs: the reserved keys below, written by the engine from the
 *     command's {@link CommandContext}, and the context's headers; never {@code null}
 * @param <E> the event type
 *
 * <p>Reserved metadata keys (the engine writes them; headers cannot use them):
 * <table>
 * <caption>Reserved metadata keys</caption>
 * <tr><th>key</th><th>value</th><th>accessor</th></tr>
 * <tr><td>{@value #COMMAND_ID}</td><td>the command's id: given, or a fresh UUIDv7 per execute</td><td>{@link #commandId()}</td></tr>
 * <tr><td>{@value #CORRELATION_ID}</td><td>given, else inherited from the causing event, else the command id</td><td>{@link #correlationId()}</td></tr>
 * <tr><td>{@value #CAUSATION_ID}</td><td>given, or the id of the event that caused the command</td><td>{@link #causationId()}</td></tr>
 * <tr><td>{@value #USER_ID}</td><td>when set</td><td>{@link #userId()}</td></tr>
 * <tr><td>{@value #TENANT_ID}</td><td>when set</td><td>{@link #tenantId()}</td></tr>
 * </table>
 * Events stored before the engine wrote these keys, or appended with the store API, may lack them.
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

    /** Metadata key of the id of the command that recorded the event. */
    public static final String COMMAND_ID = "command-id";
    /** Metadata key of the id shared by everything one request caused. */
    public static final String CORRELATION_ID = "correlation-id";
    /** Metadata key of the id of what caused the command (an event id, for reactions). */
    public static final String CAUSATION_ID = "causation-id";
    /** Metadata key of the user who asked for the command. */
    public static final String USER_ID = "user-id";
    /** Metadata key of the tenant the command acted for. */
    public static final String TENANT_ID = "tenant-id";

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

    /** The id of the command that recorded this event ({@value #COMMAND_ID}), if stored. */
    public Optional<String> commandId() {
        return Optional.ofNullable(metadata.get(COMMAND_ID));
    }

    /** The correlation id ({@value #CORRELATION_ID}), if stored. */
    public Optional<String> correlationId() {
        return Optional.ofNullable(metadata.get(CORRELATION_ID));
    }

    /** The causation id ({@value #CAUSATION_ID}), if stored. */
    public Optional<String> causationId() {
        return Optional.ofNullable(metadata.get(CAUSATION_ID));
    }

    /** The user who asked for the command ({@value #USER_ID}), if stored. */
    public Optional<String> userId() {
        return Optional.ofNullable(metadata.get(USER_ID));
    }

    /** The tenant the command acted for ({@value #TENANT_ID}), if stored. */
    public Optional<String> tenantId() {
        return Optional.ofNullable(metadata.get(TENANT_ID));
    }
}
