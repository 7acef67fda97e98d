package dev.eventsource.sample;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.Snapshot;
import java.util.Optional;

/**
 * A store with its snapshots hidden: none is found, none is saved, so an engine over it replays
 * every stream from its first event. The scenario loads an order through it to compare the
 * snapshot load with the full replay.
 *
 * <pre>{@code
 * try (Engine replay = new Engine(WithoutSnapshots.of(store))) { ... }
 * }</pre>
 *
 * <p>Thread-safe as the underlying store is.
 */
final class WithoutSnapshots extends ForwardingEventStore {

    private WithoutSnapshots(EventStore store) {
        super(store);
    }

    /** {@code store} without snapshots; closing the view leaves {@code store} open. */
    static EventStore of(EventStore store) {
        return new WithoutSnapshots(store);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        // hidden: dropped
    }

    @Override
    public Optional<Snapshot> loadSnapshot(String streamType, String streamId) {
        return Optional.empty();
    }

    @Override
    public void close() {
        // The store belongs to the caller.
    }
}
