package dev.eventsource.sample;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoredEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

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
final class WithoutSnapshots implements EventStore {

    private final EventStore store;

    private WithoutSnapshots(EventStore store) {
        this.store = store;
    }

    /** {@code store} without snapshots; closing the view leaves {@code store} open. */
    static EventStore of(EventStore store) {
        return new WithoutSnapshots(store);
    }

    @Override
    public AppendResult append(String streamType, String streamId, long expectedVersion, List<NewEvent> events) {
        return store.append(streamType, streamId, expectedVersion, events);
    }

    @Override
    public long readStream(String streamType, String streamId, long afterVersion, Consumer<? super StoredEvent> sink) {
        return store.readStream(streamType, streamId, afterVersion, sink);
    }

    @Override
    public List<StoredEvent> readLog(long afterPosition, int limit) {
        return store.readLog(afterPosition, limit);
    }

    @Override
    public long headPosition() {
        return store.headPosition();
    }

    @Override
    public AutoCloseable onAppend(Runnable listener) {
        return store.onAppend(listener);
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
    public Map<Integer, Long> loadCheckpoints(String projection) {
        return store.loadCheckpoints(projection);
    }

    @Override
    public void saveCheckpoint(String projection, int partition, long position) {
        store.saveCheckpoint(projection, partition, position);
    }

    @Override
    public void deleteCheckpoints(String projection) {
        store.deleteCheckpoints(projection);
    }

    @Override
    public void saveDeadLetter(DeadLetter deadLetter) {
        store.saveDeadLetter(deadLetter);
    }

    @Override
    public List<DeadLetter> loadDeadLetters(String projection) {
        return store.loadDeadLetters(projection);
    }

    @Override
    public void close() {
        // The store belongs to the caller.
    }
}
