package dev.eventsource.internal.projection;

import dev.eventsource.EngineObserver;
import dev.eventsource.StreamOptions;
import dev.eventsource.internal.Threads;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.TransactionalCheckpoints;
import java.time.Clock;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an asynchronous projection over the partitions this engine owns: a reader thread tails
 * the store's global log in batches from the lowest checkpoint of those partitions and routes each
 * event by {@link Partitioner} into its partition's bounded queue (skipping the partitions it does
 * not own); one worker thread per owned partition handles its events and saves the partition's
 * checkpoint, fenced by the partition's lease when the store shares partitions between instances
 * ({@link Ownership}). A full queue blocks the reader (backpressure); nothing is dropped.
 *
 * <p>This class wires the parts, each with one job, and reports on them: {@link LogRouter} (the
 * reader: reads the log, retries the store, routes, backpressure, wakes idle partitions),
 * {@link Partitions} (which partitions run and from which checkpoint, their threads, their
 * checkpoint writes), {@link PartitionWorker} (one partition's queue, progress and checkpoint
 * saves), {@link PartitionFailurePolicy} (retries, then a dead letter or a stopped partition),
 * {@link TransactionalBatches} (batches in store transactions with their checkpoint) and
 * {@link StoreRetry} (outlasting a store outage). They log under this class's logger.
 *
 * <p>Threading model: the reader thread is the only producer of every queue and the only writer of
 * the dispatched positions; each partition's worker is the only consumer of its queue and the only
 * writer of its progress, checkpoint and failure. Other threads (awaitProjections, status, stop) only
 * read volatile fields; {@link #stop} writes {@link #stopping}, which every part reads through this
 * object as a {@link BooleanSupplier}. The reader queues a partition only the events after its own
 * checkpoint, so a restart from the lowest checkpoint neither repeats nor misses events. Instances run once:
 * {@link #start} then {@link #stop}; a rebuild or a change of the owned partitions makes a new instance
 * ({@link ProjectionRunner} keeps the current one).
 *
 * <p>Progress: a partition's progress is a global position up to which every event routed to it was
 * handled. When its queue is empty, everything the reader dispatched was handled too, so idle
 * partitions advance with the reader; the reader wakes idle workers with a marker so that this
 * happens at once.
 *
 * <pre>{@code
 * AsyncProjection p = new AsyncProjection(target, StreamOptions.named("orders").partitions(4), store, null, head,
 *         Clock.systemUTC(), Threads.DEFAULT, Ownership.all());
 * p.start();
 * long handledUpTo = p.progress();
 * p.stop();
 * }</pre>
 */
public final class AsyncProjection implements BooleanSupplier {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);

    private final ProjectionRun run;
    private final ThreadFactory threads;
    private final LogRouter router;
    private final Ownership ownership;

    private volatile boolean stopping;
    private volatile boolean started;
    /** Set by {@link #start} before {@link #started}, so whoever reads {@code started == true} sees it. */
    private Partitions partitions;

    /**
     * @param transactions the store's transaction role; required when the target is transactional
     * @param committedHead the engine's latest committed position, a hint that saves the reader a park
     * @param clock the time dead letters are stamped with
     * @param threads makes the reader and partition threads
     * @param ownership the partitions this run owns and how their writes are fenced
     * @param observer told of each batch a partition handles
     */
    AsyncProjection(Target target, StreamOptions options, EventStore store, TransactionalCheckpoints transactions,
            LongSupplier committedHead, Clock clock, ThreadFactory threads, Ownership ownership, EngineObserver observer) {
        this.run = new ProjectionRun(target, options, store, transactions, clock, this, new StoreRetry(target.name(), this),
                observer);
        this.threads = threads;
        this.router = new LogRouter(run, committedHead);
        this.ownership = ownership;
    }

    /** The projection this instance feeds. */
    public Target target() {
        return run.target();
    }

    /** The options it was registered with. */
    public StreamOptions options() {
        return run.options();
    }

    /**
     * Loads the checkpoints and starts the reader and the partition workers. Does nothing when
     * started already; when the store fails, throws and stays unstarted, so it can be called again.
     */
    public synchronized void start() {
        if (started) {
            return;
        }
        Partitions loaded = Partitions.load(run, ownership);
        router.prepare(loaded, threads);
        loaded.newThreads(threads);
        partitions = loaded;
        started = true;
        router.thread().start();
        loaded.start();
        LOG.debug("projection {} started on stream {} with {} partitions from position {}", run.name(),
                run.options().name(), loaded.count(), loaded.lowest());
    }

    /** Stops reading and handling, waits for the threads; events not handled yet stay in the store. */
    public void stop() {
        stopping = true;
        if (!started) {
            return;
        }
        router.thread().interrupt();
        partitions.interrupt();
        Threads.join(router.thread());
        partitions.join();
    }

    /** Wakes the reader if it is waiting for new events. Cheap when it is not: one volatile read. */
    public void nudge() {
        router.nudge();
    }

    /** Whether {@link #start} succeeded. */
    public boolean started() {
        return started;
    }

    /** Whether the threads were asked to stop (the {@link BooleanSupplier} view, for retry loops). */
    @Override
    public boolean getAsBoolean() {
        return stopping;
    }

    /**
     * The global position up to which every owned partition has handled every event (a partition
     * that lost its lease no longer counts); 0 before start, {@link Long#MAX_VALUE} when no partition counts.
     */
    public long progress() {
        return started ? partitions.progress() : 0;
    }

    /** Whether a partition (or the reader) stopped after a failure and will not catch up by itself. */
    public boolean failed() {
        return router.failure() != null || started && partitions.failed();
    }

    /** Why the reader stopped, or {@code null} while it runs. */
    String readerFailure() {
        return router.failure();
    }

    /** Partition {@code partition}'s worker, or {@code null} before start or if this run does not own it. */
    PartitionWorker worker(int partition) {
        return started ? partitions.worker(partition) : null;
    }
}
