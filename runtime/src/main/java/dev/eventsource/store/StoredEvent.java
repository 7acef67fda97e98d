package dev.eventsource.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as the store keeps it: serialized, with its version in its stream and its position in
 * the global log.
 *
 * <pre>{@code
 * store.readStream("Order", "order_1", 0, e -> System.out.println(e.version() + " " + e.eventType()));
 * }</pre>
 *
 * @param globalPosition position in the global log, from 1, increasing in commit-visible order
 * @param streamType stream (aggregate) type name
 * @param streamId aggregate id
 * @param version version within the stream, from 1, without gaps
 * @param eventId UUIDv7
 * @param eventType stable event type name
 * @param eventVersion payload schema version
 * @param timestamp when the event was recorded
 * @param payload UTF-8 JSON; callers must not modify it
 * @param metadata free-form key/value pairs; never {@code null} (empty when {@code readProblem} is set)
 * @param readProblem why the store could not read part of this row (metadata that is not a flat JSON
 *     object of strings, say), or {@code null} when it read all of it. A store never fails a whole
 *     read for one bad row: it returns the row with its problem, and the engine handles it as that
 *     one event's decoding failure (the projection's failure policy applies; loading its aggregate
 *     fails naming it), so every other event still flows.
 */
public record StoredEvent(
        long globalPosition,
        String streamType,
        String streamId,
        long version,
        UUID eventId,
        String eventType,
        int eventVersion,
        Instant timestamp,
        byte[] payload,
        Map<String, String> metadata,
        String readProblem) {

    /** An event the store read completely (no {@link #readProblem()}). */
    public StoredEvent(long globalPosition, String streamType, String streamId, long version, UUID eventId, String eventType,
            int eventVersion, Instant timestamp, byte[] payload, Map<String, String> metadata) {
        this(globalPosition, streamType, streamId, version, eventId, eventType, eventVersion, timestamp, payload, metadata,
                null);
    }

    /** Checks that nothing is missing. */
    public StoredEvent {
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(payload, "payload");
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** "type/id@version (position N, event type T)", for error messages. */
    public String describe() {
        return streamType + "/" + streamId + "@" + version + " (position " + globalPosition + ", event type "
                + eventType + ")";
    }
}
