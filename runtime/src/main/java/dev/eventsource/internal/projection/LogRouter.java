package dev.eventsource.internal.projection;

import dev.eventsource.internal.Threads;
import dev.eventsource.store.ReadLog;
import dev.eventsource.store.StoredEvent;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader of one asynchronous projection: tails the store's global log in batches of
 * {@code batchSize} from the lowest partition checkpoint, retrying a failing store with backoff, and
 * routes each event by {@link Partitioner} into its partition's bounded queue. A full queue blocks it
 * (backpressure); nothing is dropped. After each batch it tells every partition how far it has
 * dispatched, which wakes the idle ones. With no new events it parks for {@code pollInterval}, or
 * until {@link #nudge}d.
 *
 * <p>Threading: {@link #run} is the body of the reader thread ({@code eventsource-<stream>-reader}),
 * which is the only producer of every partition's queue and the only writer of {@link #sleeping},
 * {@link #failure} and each worker's dispatched position. {@link #prepare} runs before that thread
 * starts, under {@link AsyncProjection}'s monitor; {@link #nudge} is called by command threads and the
 * store's notification thread; {@link #failure()} by any thread. Logs under {@link AsyncProjection}'s
 * logger, which the operations guide lists.
 *
 * <pre>{@code
 * LogRouter router = new LogRouter(run, head);
 * router.prepare(partitions, threads);
 * router.thread().start();
 * }</pre>
 */
final class LogRouter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);

    private final ProjectionRun run;
    private final LongSupplier committedHead;
    private final long pollNanos;
    private Partitions partitions;
    private Thread thread;
    private volatile boolean sleeping;
    private volatile String failure;

    /**
     * The reader of {@code run}'s projection.
     *
     * @param committedHead the engine's latest committed position, a hint that saves the reader a park
     */
    LogRouter(ProjectionRun run, LongSupplier committedHead) {
        this.run = run;
        this.committedHead = committedHead;
        this.pollNanos = run.options().pollInterval().toNanos();
    }

    /** Routes to {@code partitions} from their lowest checkpoint, on a new, unstarted thread made by {@code factory}. */
    void prepare(Partitions partitions, ThreadFactory factory) {
        this.partitions = partitions;
        this.thread = Threads.newThread(factory, "eventsource-" + run.options().name() + "-reader", this);
    }

    /** The thread {@link #prepare} made. */
    Thread thread() {
        return thread;
    }

    /** Wakes the reader if it is waiting for new events. Cheap when it is not: one volatile read. */
    void nudge() {
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** Why the reader stopped, or {@code null} while it runs. */
    String failure() {
        return failure;
    }

    @Override
    public void run() {
        Partitions to = partitions;
        long position = to.lowest();
        int n = to.count();
        ReadLog log = run.store();
        int batchSize = run.options().batchSize();
        int storeFailures = 0;
        try {
            while (!run.stopping().getAsBoolean()) {
                List<StoredEvent> batch;
                try {
                    batch = log.readLog(position, batchSize);
                    storeFailures = 0;
                } catch (RuntimeException e) {
                    storeFailures++;
                    run.retry().backOff("read the log after position " + position, storeFailures, e);
                    continue;
                }
                if (batch.isEmpty()) {
                    awaitEvents(position);
                    continue;
                }
                for (int i = 0, size = batch.size(); i < size; i++) {
                    StoredEvent e = batch.get(i);
                    PartitionWorker p = to.accepting(n == 1 ? 0 : Partitioner.partition(e.streamId(), n), e.globalPosition());
                    if (p != null) {
                        enqueue(p, e);
                    }
                }
                position = batch.get(batch.size() - 1).globalPosition();
                to.dispatched(position);
            }
        } catch (InterruptedException e) {
            // the projection stops
        } catch (Throwable t) {
            Delivery.rethrowFatal(t);
            failure = "reader failed at position " + position + ": " + t;
            LOG.error("projection {}: reader of stream {} failed at position {}; the projection stops", run.name(),
                    run.options().name(), position, t);
        }
    }

    /** Blocking put that gives up only when the partition stopped or the projection is stopping. */
    private void enqueue(PartitionWorker p, StoredEvent e) throws InterruptedException {
        ArrayBlockingQueue<Object> queue = p.queue();
        if (queue.offer(e)) {
            return;
        }
        while (!queue.offer(e, 20, TimeUnit.MILLISECONDS)) {
            if (run.stopping().getAsBoolean()) {
                throw new InterruptedException("stopping");
            }
            if (!p.running()) {
                return; // a stopped partition takes nothing; its checkpoint keeps the event for a restart (or its new owner)
            }
        }
    }

    private void awaitEvents(long position) {
        sleeping = true;
        if (committedHead.getAsLong() <= position && !run.stopping().getAsBoolean()) {
            LockSupport.parkNanos(this, pollNanos);
        }
        sleeping = false;
    }
}
