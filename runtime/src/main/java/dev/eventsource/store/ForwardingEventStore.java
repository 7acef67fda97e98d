package dev.eventsource.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An event store that forwards every call to another one. Subclass it to decorate a store (count or
 * time calls, hide a role, inject faults in tests) by overriding only what changes.
 *
 * <pre>{@code
 * LongAdder appends = new LongAdder();
 * EventStore counted = new ForwardingEventStore(store) {
 *     @Override
 *     public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
 *         appends.increment();
 *         return super.append(type, id, expected, events);
 *     }
 * };
 * }</pre>
 *
 * <p>Forwards the roles of {@link EventStore} only: a decorator of a store with optional roles
 * (such as {@link TransactionalCheckpoints} or {@link StoredEventTypes}) must implement and forward them
 * itself; without {@code StoredEventTypes} the engine skips its start check of stored event types. Thread-safe as
 * the delegate is.
 *
 * <p>{@link #loadAggregate} is deliberately <em>not</em> forwarded: its default runs this store's
 * {@link #loadSnapshot} and {@link #readStream}, so a decorator that overrides either (hiding
 * snapshots, counting reads, injecting faults) also changes the engine's loads. A decorator that
 * changes neither can override {@code loadAggregate} to call {@code delegate().loadAggregate(...)}
 * and keep the delegate's single-query load (PostgreSQL).
 */
public abstract class ForwardingEventStore implements EventStore {

    private final EventStore delegate;

    /** A store that forwards to {@code delegate}. */
    protected ForwardingEventStore(EventStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store calls are forwarded to. */
    protected final EventStore delegate() {
        return delegate;
    }

    @Override
    public AppendResult append(String streamType, String streamId, long expectedVersion, List<NewEvent> events) {
        return delegate.append(streamType, streamId, expectedVersion, events);
    }

    @Override
    public long readStream(String streamType, String streamId, long afterVersion, Consumer<? super StoredEvent> sink) {
        return delegate.readStream(streamType, streamId, afterVersion, sink);
    }

    @Override
    public List<StoredEvent> readLog(long afterPosition, int limit) {
        return delegate.readLog(afterPosition, limit);
    }

    @Override
    public long headPosition() {
        return delegate.headPosition();
    }

    @Override
    public AutoCloseable onAppend(Runnable listener) {
        return delegate.onAppend(listener);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        delegate.saveSnapshot(snapshot);
    }

    @Override
    public Optional<Snapshot> loadSnapshot(String streamType, String streamId) {
        return delegate.loadSnapshot(streamType, streamId);
    }

    @Override
    public Map<Integer, Long> loadCheckpoints(String projection) {
        return delegate.loadCheckpoints(projection);
    }

    @Override
    public void saveCheckpoint(String projection, int partition, long position) {
        delegate.saveCheckpoint(projection, partition, position);
    }

    @Override
    public void deleteCheckpoints(String projection) {
        delegate.deleteCheckpoints(projection);
    }

    @Override
    public void saveDeadLetter(DeadLetter deadLetter) {
        delegate.saveDeadLetter(deadLetter);
    }

    @Override
    public List<DeadLetter> loadDeadLetters(String projection) {
        return delegate.loadDeadLetters(projection);
    }

    @Override
    public boolean deleteDeadLetter(String projection, long globalPosition) {
        return delegate.deleteDeadLetter(projection, globalPosition);
    }

    /** Closes the delegate; override to leave it open when the decorator does not own it. */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
