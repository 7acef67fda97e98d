package dev.eventsource.store;

/**
 * What an append committed: the stream's new version and the global positions given to the events.
 *
 * <pre>{@code
 * AppendResult r = store.append("Order", "order_1", 0, events);
 * long newVersion = r.version();
 * }</pre>
 *
 * @param version the stream's version after the append (the last event's version)
 * @param firstPosition global position of the first appended event
 * @param lastPosition global position of the last appended event
 */
public record AppendResult(long version, long firstPosition, long lastPosition) {
}
