package dev.eventsource.store;

import java.util.Objects;

/**
 * One combination of stream type, event type name and payload version that a store holds at least
 * one event of: what {@link StoredEventTypes} lists and the engine checks at start.
 *
 * <pre>{@code
 * StoredEventType type = new StoredEventType("Order", "OrderPlaced", 2);
 * String shown = type.toString();   // "Order/OrderPlaced v2"
 * }</pre>
 *
 * @param streamType the stream type the events were appended to
 * @param eventType the stored event type name
 * @param eventVersion the stored payload version
 */
public record StoredEventType(String streamType, String eventType, int eventVersion) implements Comparable<StoredEventType> {

    /** Rejects null names. */
    public StoredEventType {
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(eventType, "eventType");
    }

    /** The combination of {@code event}. */
    public static StoredEventType of(StoredEvent event) {
        return new StoredEventType(event.streamType(), event.eventType(), event.eventVersion());
    }

    /** Orders by stream type, event type, then version, so lists of them read well in messages. */
    @Override
    public int compareTo(StoredEventType o) {
        int c = streamType.compareTo(o.streamType);
        if (c == 0) {
            c = eventType.compareTo(o.eventType);
        }
        return c != 0 ? c : Integer.compare(eventVersion, o.eventVersion);
    }

    /** {@code streamType/eventType vN}. */
    @Override
    public String toString() {
        return streamType + "/" + eventType + " v" + eventVersion;
    }
}
