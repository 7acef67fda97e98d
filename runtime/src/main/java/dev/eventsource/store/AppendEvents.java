package dev.eventsource.store;

import java.util.List;

/**
 * Role: atomic, optimistic append of a batch of events to one stream.
 *
 * <pre>{@code
 * AppendResult r = store.append("Order", "order_1", 0, events);   // 0: the stream must not exist yet
 * long expected = r.version();   // what the next append to the stream must pass, else ConcurrencyException
 * }</pre>
 */
public interface AppendEvents {

    /**
     * Appends {@code events} to the stream, all or none. The events get versions
     * {@code expectedVersion + 1, + 2, ...} and increasing global positions.
     *
     * @param expectedVersion the stream's current version as the caller read it; {@code 0} for a
     *     stream that must not exist yet
     * @param events at least one event
     * @throws ConcurrencyException if the stream's version is not
     *     {@code expectedVersion}; nothing is appended
     * @throws StoreException if the store fails; nothing is appended
     */
    AppendResult append(String streamType, String streamId, long expectedVersion, List<NewEvent> events);
}
