package dev.eventsource.testdomain;

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

/** A store that forwards everything to another; tests override what they want to break or watch. */
public class ForwardingStore implements EventStore {

    protected final EventStore delegate;

    public ForwardingStore(EventStore delegate) {
        this.delegate = delegate;
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
}
