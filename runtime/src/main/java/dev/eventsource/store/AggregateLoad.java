package dev.eventsource.store;

import java.util.function.Consumer;

/**
 * The receiving end of {@link LoadAggregate#loadAggregate}: first the stream's newest snapshot, if
 * there is one, then the events after the version it starts from, in version order.
 *
 * <pre>{@code
 * long version = store.loadAggregate("Order", "order_1", new AggregateLoad() {
 *     public boolean snapshot(Snapshot s) { return false; }   // true: start from it; false: replay from the start
 *     public void accept(StoredEvent e) { log.info(e.describe()); }
 * });
 * }</pre>
 *
 * <p>Called on the loading thread only, never concurrently.
 */
public interface AggregateLoad extends Consumer<StoredEvent> {

    /**
     * Offers the stream's newest snapshot; called at most once, before any event.
     *
     * @return {@code true} to start from it (the events after its version follow); {@code false}
     *     to ignore it (unknown fingerprint, unreadable state), in which case every event of the
     *     stream follows, from version 1
     */
    boolean snapshot(Snapshot snapshot);

    /** Receives the next event of the stream; versions increase by one from the starting point. */
    @Override
    void accept(StoredEvent event);
}
