package dev.eventsource.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An event about to be appended: already serialized, not yet given a version or position.
 *
 * <pre>{@code
 * UUID eventId = UUID.randomUUID();   // any unique id; the engine writes time-ordered UUIDv7s
 * NewEvent e = new NewEvent(eventId, "OrderCreated", 1, Instant.now(), json, Map.of("user", "ann"));
 * }</pre>
 *
 * @param eventId UUIDv7 chosen by the writer
 * @param eventType stable event type name
 * @param eventVersion payload schema version
 * @param timestamp when the event was recorded
 * @param payload the event as UTF-8 JSON; stores keep these bytes and never hand out the array to
 *     anyone but the writer that created it
 * @param metadata free-form key/value pairs, none of them {@code null}; {@code null} means none
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
        if (metadata == null || metadata.isEmpty()) {
            metadata = Map.of();
        } else {
            try {
                // The same instance when it is an immutable map already, as the engine's is: those hold no null.
                metadata = Map.copyOf(metadata);
            } catch (NullPointerException nullInside) {
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    if (e.getKey() == null || e.getValue() == null) {
                        throw new IllegalArgumentException("metadata of event " + eventType + " (" + eventId + ") has "
                                + (e.getKey() == null ? "a null key" : "a null value for key '" + shortened(e.getKey()) + "'"));
                    }
                }
                throw nullInside;
            }
        }
    }

    private static String shortened(String key) {
        return key.length() <= 64 ? key : key.substring(0, 64) + "... (" + key.length() + " chars)";
    }
}
