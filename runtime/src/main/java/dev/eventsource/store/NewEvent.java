package dev.eventsource.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An event about to be appended: already serialized, not yet given a version or position.
 *
 * <pre>{@code
 * new NewEvent(Uuid7.next(), "OrderCreated", 1, Instant.now(), jsonBytes, Map.of("user", "ann"));
 * }</pre>
 *
 * @param eventId UUIDv7 chosen by the writer
 * @param eventType stable event type name
 * @param eventVersion payload schema version
 * @param timestamp when the event was recorded
 * @param payload the event as UTF-8 JSON; stores keep these bytes and never hand out the array to
 *     anyone but the writer that created it
 * @param metadata free-form key/value pairs; never {@code null}
 */
public record NewEvent(
        UUID eventId,
        String eventType,
        int eventVersion,
        Instant timestamp,
        byte[] payload,
        Map<String, String> metadata) {

    /** Checks that nothing is missing. */
    public NewEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(payload, "payload");
        metadata = metadata == null ? Map.of() : metadata;
    }
}
