package dev.eventsource.store;

import java.util.Optional;

/**
 * Role: keep the newest snapshot of each stream.
 *
 * <pre>{@code
 * Optional<Snapshot> newest = store.loadSnapshot("Order", "order_1");
 * newest.ifPresent(s -> log.info("Order/order_1 has a snapshot at version {}", s.version()));
 * }</pre>
 */
public interface SnapshotStore {

    /** Saves a snapshot; an existing one of the same stream with a lower or equal version is replaced. */
    void saveSnapshot(Snapshot snapshot);

    /** The newest snapshot of the stream, if any. */
    Optional<Snapshot> loadSnapshot(String streamType, String streamId);
}
