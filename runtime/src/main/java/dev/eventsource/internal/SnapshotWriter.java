package dev.eventsource.internal;

import dev.eventsource.EngineObserver;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.SnapshotStore;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes snapshots on one background thread, off the command's critical path. The state was already
 * serialized on the command thread (the aggregate instance is reused by later commands), so this
 * only does the store write. The queue is bounded: when it is full the snapshot is skipped and
 * counted, never blocking a command — snapshots are an optimisation and events are never at risk.
 *
 * <p>Threading: {@link #submit} from any command thread; writes on the thread "eventsource-snapshots",
 * started on first use; {@link #close} waits for queued writes.
 *
 * <pre>{@code
 * SnapshotWriter writer = new SnapshotWriter(store, 1024, Threads.DEFAULT);
 * writer.submit(snapshot);   // returns at once
 * writer.close(30_000);
 * }</pre>
 */
public final class SnapshotWriter {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

    private final SnapshotStore store;
    private final ThreadPoolExecutor executor;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final EngineObserver observer;

    /**
     * A writer with room for {@code capacity} queued snapshots, its thread made by {@code threads},
     * telling {@code observer} of each one written.
     */
    public SnapshotWriter(SnapshotStore store, int capacity, ThreadFactory threads, EngineObserver observer) {
        this.store = store;
        this.observer = observer;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                r -> Threads.newThread(threads, "eventsource-snapshots", r), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Queues a snapshot for writing; skips it (and says so at debug level) if the queue is full or closed. */
    public void submit(Snapshot snapshot) {
        try {
            executor.execute(new Write(snapshot));
        } catch (RejectedExecutionException e) {
            long n = skipped.incrementAndGet();
            LOG.debug("snapshot of {}/{} at version {} skipped: the snapshot queue is full or closed ({} skipped so far)",
                    snapshot.streamType(), snapshot.streamId(), snapshot.version(), n);
        }
    }

    /** Snapshots written so far. */
    public long written() {
        return written.get();
    }

    /** Snapshots skipped because the queue was full. */
    public long skipped() {
        return skipped.get();
    }

    /** Writes what is queued (waiting at most {@code timeoutMillis}) and stops the thread. */
    public void close(long timeoutMillis) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                int dropped = executor.shutdownNow().size();
                LOG.warn("snapshot writer did not finish in {} ms; {} queued snapshots not written (events are safe)",
                        timeoutMillis, dropped);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private final class Write implements Runnable {
        private final Snapshot snapshot;

        Write(Snapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public void run() {
            try {
                store.saveSnapshot(snapshot);
                written.incrementAndGet();
                observer.snapshotWritten(snapshot.streamType(), snapshot.streamId(), snapshot.version(),
                        snapshot.state().length);
            } catch (RuntimeException e) {
                LOG.warn("cannot save snapshot of {}/{} at version {}; loads replay events instead", snapshot.streamType(),
                        snapshot.streamId(), snapshot.version(), e);
            }
        }
    }
}
