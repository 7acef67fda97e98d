package dev.eventsource.store;

import java.util.Optional;

/**
 * Role: load what rebuilding one aggregate needs (its newest snapshot, then the events after it) in
 * one call, so a store can fetch both in one round trip. The default reads them with
 * {@link #loadSnapshot} and {@link #readStream}; a store overrides it when it can do better (the
 * PostgreSQL store uses one query). The engine calls it whenever an aggregate is not in its cache.
 *
 * <pre>{@code
 * long version = store.loadAggregate("Order", "order_1", new AggregateLoad() {
 *     public boolean snapshot(Snapshot s) { return false; }   // true: start from it; false: replay from the start
 *     public void accept(StoredEvent e) { log.info(e.describe()); }
 * });
 * }</pre>
 */
public interface LoadAggregate extends ReadStream, SnapshotStore {

    /**
     * Passes the stream's newest snapshot, if any, to {@link AggregateLoad#snapshot}; then every
     * event after the snapshot's version if the sink accepted it, or every event of the stream if
     * there was none or the sink refused it, to {@link AggregateLoad#accept}, in version order,
     * without holding the whole stream in memory. A snapshot whose version is beyond the last
     * event is still offered; no event follows it then.
     *
     * @return the version of the last event passed, or the accepted snapshot's version if no event
     *     followed it, or 0 if nothing was passed
     * @throws StoreException if the store fails; an exception thrown by the sink propagates and
     *     stops the load
     */
    default long loadAggregate(String streamType, String streamId, AggregateLoad sink) {
        Optional<Snapshot> snapshot = loadSnapshot(streamType, streamId);
        long after = snapshot.isPresent() && sink.snapshot(snapshot.get()) ? snapshot.get().version() : 0;
        return readStream(streamType, streamId, after, sink);
    }
}
