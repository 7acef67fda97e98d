package dev.eventsource.store;

import java.util.Set;

/**
 * Optional role: the (stream type, event type, version) combinations the store holds, read cheaply
 * (a store keeps them as it appends, not by scanning its log). The engine checks them at
 * {@code start()} against what its registered aggregates and projections can read.
 *
 * <pre>{@code
 * if (store instanceof StoredEventTypes types) {
 *     types.storedEventTypes().forEach(t -> log.info("stored: {}", t));   // e.g. Order/OrderPlaced v2
 * }
 * }</pre>
 *
 * <p>Contract: every combination of an event appended through the store is listed once that append
 * is visible, also after a crash (it is recorded atomically with the append). It may list a
 * combination whose events are no longer there. Thread-safe.
 */
public interface StoredEventTypes {

    /**
     * Every combination appended so far, in no particular order.
     *
     * @throws StoreException if the store cannot be read
     */
    Set<StoredEventType> storedEventTypes();
}
