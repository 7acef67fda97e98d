package dev.eventsource.store;

/**
 * A complete event store: the roles the engine needs, in one interface. Implementations are
 * thread-safe.
 *
 * <pre>{@code
 * EventStore store = new InMemoryStore();
 * Engine engine = new Engine(store);
 * }</pre>
 */
public interface EventStore
        extends AppendEvents, ReadStream, ReadLog, SnapshotStore, LoadAggregate, CheckpointStore, DeadLetterStore, AutoCloseable {

    /** Releases what the store holds (threads, connections it opened). Idempotent. */
    @Override
    default void close() {
    }
}
