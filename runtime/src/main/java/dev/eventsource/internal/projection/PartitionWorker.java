package dev.eventsource.internal.projection;

import dev.eventsource.EngineObserver;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition of an asynchronous projection: the body of its thread, which takes the events the
 * {@link LogRouter} queued for it, handles them (one by one through its {@link PartitionFailurePolicy},
 * or in store transactions through {@link TransactionalBatches}), keeps its progress and saves its
 * checkpoint through {@link Partitions}: after each batch it handled, when idle at most once a
 * second, and on stop. It skips nothing itself: the router queues only events after its start
 * checkpoint.
 *
 * <p>Ownership: when a fenced checkpoint write finds the partition's lease lost
 * ({@link LeaseLostException}: another instance owns the partition now, or a rebuild revoked it), the
 * worker ends at once, saves nothing more and tells {@link Partitions#lost}; that is no failure (no
 * dead letter, not stopped). When its failure policy stops the partition it records that with the
 * lease ({@link Partitions#markStopped}), so other instances' status shows it.
 *
 * <p>Progress: {@link #progress} is a global position up to which every event routed to this
 * partition was handled. When the queue is empty, everything the router dispatched (up to
 * {@link #dispatched}) was handled too, so an idle partition advances with the router; the router
 * queues an {@link #ADVANCE} marker to wake it at once.
 *
 * <p>Dead-letter retries: a caller ({@code Engine.retryDeadLetters}) hands a
 * {@link DeadLetterRetry.Request} to {@link #requestRetry}; this thread picks it up between batches
 * (within the poll interval when idle) and retries it here, so the projection is never called from
 * two threads. When the worker ends it finishes every request it did not serve, saying why.
 *
 * <p>Threading: the router's thread is the only producer of {@link #queue()} and the only writer of
 * {@link #dispatched}; this partition's thread is the only consumer of the queue and the only writer
 * of {@link #progress} and of the saved checkpoint (its failure and dead letters are its policy's,
 * written on this thread too). Retry requests come from any thread through a
 * concurrent queue of their own (not the router's), which this thread drains; whoever sees the
 * worker ended finishes what is left. Other threads only read volatile fields.
 *
 * <pre>{@code
 * PartitionWorker worker = new PartitionWorker(run, 0, checkpoint, partitions, policy);
 * Thread t = Threads.newThread(threads, "eventsource-orders-p0", worker);
 * }</pre>
 */
final class PartitionWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);

    /** Queued to an idle partition after a batch: "look at {@link #dispatched}". */
    static final Object ADVANCE = new Object();
    private static final int MAX_DRAIN = 512;
    private static final long IDLE_SAVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ProjectionRun run;
    private final int index;
    private final long startCheckpoint;
    private final Partitions partitions;
    private final PartitionFailurePolicy policy;
    /** Set for a transactional projection; else its events are delivered one by one through {@link #policy}. */
    private final TransactionalBatches transactional;
    private final long pollNanos;
    private final ArrayBlockingQueue<Object> queue;
    private final ArrayList<Object> drained = new ArrayList<>();
    private volatile long dispatched;
    private volatile long progress;
    private volatile boolean lost;
    private long saved;
    private long savedAtNanos = System.nanoTime();
    private final DeadLetterRetry retrier;
    private final ConcurrentLinkedQueue<DeadLetterRetry.Request> retries = new ConcurrentLinkedQueue<>();
    /** Set when the worker ended: requests queued after it are finished by whoever queued them. */
    private volatile boolean ended;
    /** The request being served on this thread, or null. */
    private DeadLetterRetry.Request serving;

    /**
     * A worker for partition {@code index}, resuming after {@code checkpoint}.
     *
     * @param partitions where it saves its checkpoint
     * @param policy what it does with an event that keeps failing
     */
    PartitionWorker(ProjectionRun run, int index, long checkpoint, Partitions partitions, PartitionFailurePolicy policy) {
        this.run = run;
        this.index = index;
        this.startCheckpoint = checkpoint;
        this.partitions = partitions;
        this.policy = policy;
        this.pollNanos = run.options().pollInterval().toNanos();
        this.queue = new ArrayBlockingQueue<>(run.options().bufferSize());
        this.dispatched = checkpoint;
        this.progress = checkpoint;
        this.saved = checkpoint;
        this.transactional = run.target().transactional() ? new TransactionalBatches(run, this, partitions, policy) : null;
        this.retrier = new DeadLetterRetry(run, index, transactional != null ? transactional::redeliver
                : DeadLetterRetry.plain(run.target(), run.options(), run.stopping()));
    }

    // ---- called by the router's thread ----

    /** Whether the router should queue the event at {@code position}: after the start checkpoint, and the partition runs. */
    boolean accepts(long position) {
        return position > startCheckpoint && running();
    }

    /** The queue the router fills (bounded: a full one blocks the router). */
    ArrayBlockingQueue<Object> queue() {
        return queue;
    }

    /** The router dispatched every event up to {@code position}; wakes the worker if its queue is empty. */
    void dispatched(long position) {
        dispatched = position;
        if (queue.isEmpty()) {
            queue.offer(ADVANCE);
        }
    }

    // ---- the partition's thread ----

    @Override
    public void run() {
        try {
            while (!run.stopping().getAsBoolean()) {
                Object first = queue.poll(pollNanos, TimeUnit.NANOSECONDS);
                boolean handled = false;
                if (first != null) {
                    drained.add(first);
                    queue.drainTo(drained, MAX_DRAIN - 1);
                    boolean goOn = observed(drained);
                    drained.clear();
                    if (!goOn) {
                        partitions.markStopped(index, policy.failure());
                        return;
                    }
                    handled = true;
                }
                long d = dispatched;
                if (d > progress && queue.isEmpty()) {
                    progress = d;
                }
                if (progress > saved && (handled || System.nanoTime() - savedAtNanos > IDLE_SAVE_INTERVAL_NANOS)) {
                    saveCheckpoint(progress);
                }
                serveRetries();
            }
        } catch (InterruptedException | StoreRetry.StopSignal e) {
            // the projection stops
        } catch (LeaseLostException e) {
            lost = true;
            LOG.info("projection {} partition {}: the lease is lost (another instance took the partition or a rebuild"
                    + " revoked it); this engine stops it after position {}: {}", run.name(), index, progress, e.getMessage());
            partitions.lost(index);
        } catch (Throwable t) {
            Delivery.rethrowFatal(t);
            policy.stop("partition worker failed after position " + progress + ": " + t);
            LOG.error("projection {} partition {}: worker failed after position {}; the partition stops", run.name(), index,
                    progress, t);
            partitions.markStopped(index, policy.failure());
        } finally {
            if (progress > saved && !lost) {
                partitions.saveLastCheckpoint(index, progress, saved);
            }
            ended = true;
            finishRetries();
        }
    }

    /** Handles a drained batch, inside the observer's batch when there is an observer. */
    private boolean observed(List<Object> batch) throws InterruptedException {
        EngineObserver observer = run.observer();
        if (observer == EngineObserver.NONE) {
            return handle(batch);
        }
        List<StoredEvent> events = new ArrayList<>(batch.size());
        for (Object item : batch) {
            if (item != ADVANCE) {
                events.add((StoredEvent) item);
            }
        }
        EngineObserver.Batch observed = observer.projectionBatch(run.name(), index, events);
        Throwable failure = null;
        try {
            boolean goOn = handle(batch);
            if (!goOn) {
                failure = new IllegalStateException("partition " + index + " stopped: " + policy.failure());
            }
            return goOn;
        } catch (InterruptedException | RuntimeException | Error e) {
            failure = e instanceof InterruptedException ? null : e;
            throw e;
        } finally {
            observed.end(failure);
        }
    }

    /** Handles a drained batch, in transactions for a transactional projection; false when the partition stopped. */
    private boolean handle(List<Object> batch) throws InterruptedException {
        return transactional != null ? transactional.process(batch) : process(batch);
    }

    /** Serves the retry requests queued since the last loop, on this thread. */
    private void serveRetries() throws InterruptedException {
        for (DeadLetterRetry.Request r; (r = retries.poll()) != null; ) {
            serving = r;
            retrier.serve(r, progress, policy::retried);
            serving = null;
        }
    }

    /** Finishes the request in hand and every queued one: the worker ended. */
    private void finishRetries() {
        String why = endReason();
        if (serving != null) {
            serving.finish(why);
            serving = null;
        }
        for (DeadLetterRetry.Request r; (r = retries.poll()) != null; ) {
            r.finish(why);
        }
    }

    private String endReason() {
        if (lost) {
            return "partition " + index + "'s lease was lost: another instance runs it now; retry there";
        }
        String failure = policy.failure();
        if (failure != null) {
            return "partition " + index + " stopped (" + failure + "); restart or rebuild the projection first";
        }
        return "the projection's run on this engine stopped (engine closing, a rebuild, or a change of the partitions it"
                + " owns); call retryDeadLetters again";
    }

    /**
     * Handles a batch one event at a time; false when the partition stopped on a failure.
     *
     * @throws InterruptedException when the projection stops: the events not handled yet stay
     *     after the checkpoint (a stop, e.g. a close that timed out, must not wait for a whole
     *     drained batch of a slow projection)
     */
    private boolean process(List<Object> batch) throws InterruptedException {
        for (int i = 0, n = batch.size(); i < n; i++) {
            Object item = batch.get(i);
            if (item == ADVANCE) {
                continue;
            }
            if (run.stopping().getAsBoolean()) {
                throw new InterruptedException("stopping");
            }
            StoredEvent e = (StoredEvent) item;
            if (!policy.deliver(e)) {
                return false;
            }
            progress = e.globalPosition();
        }
        return true;
    }

    /** Saves {@code position} as the checkpoint, retrying the store until it does. */
    private void saveCheckpoint(long position) {
        partitions.saveCheckpoint(index, position);
        saved = position;
        savedAtNanos = System.nanoTime();
    }

    /** The checkpoint this worker saved last (or started from); on this thread. */
    long savedCheckpoint() {
        return saved;
    }

    /** Every event up to {@code position} was handled in a transaction that also saved it as the checkpoint. */
    void committed(long position) {
        saved = position;
        savedAtNanos = System.nanoTime();
        progress = position;
    }

    /**
     * The event at {@code position} was given up on outside a transaction (a dead letter): saves its
     * position as the checkpoint, retrying the store until it does, and advances to it.
     */
    void skipped(long position) {
        saveCheckpoint(position);
        progress = position;
    }

    // ---- any thread ----

    /**
     * Queues {@code request} for this partition's thread, which serves it between batches; if the
     * worker ended or stopped (or does meanwhile), the request is finished at once with the reason.
     * Each request is taken off the queue once, by the worker or here, and finished by whoever took it.
     */
    void requestRetry(DeadLetterRetry.Request request) {
        retries.add(request);
        if (ended || stopped()) {                        // a partition carried on stopped has no thread at all
            String why = endReason();
            for (DeadLetterRetry.Request r; (r = retries.poll()) != null; ) {
                r.finish(why);
            }
        }
    }

    /** This partition's index. */
    int index() {
        return index;
    }

    /** The global position up to which every event routed to this partition was handled. */
    long progress() {
        return progress;
    }

    /** Whether the partition stopped after a failure (and takes no more events). */
    boolean stopped() {
        return policy.failure() != null;
    }

    /** Whether the worker ended because the partition's lease was lost (it takes no more events). */
    boolean lost() {
        return lost;
    }

    /** Whether the partition takes events: it neither stopped nor lost its lease. */
    boolean running() {
        return !lost && policy.failure() == null;
    }

    /** How many events the partition dead-lettered in this run, less those it retried (may be below zero, see the policy). */
    long deadLetters() {
        return policy.deadLetters();
    }

    /** Why the partition stopped, or {@code null}. */
    String failure() {
        return policy.failure();
    }

    /** The partition's status; its failure, or else {@code otherFailure} (the reader's, or null). */
    ProjectionStatus status(String otherFailure) {
        String failure = policy.failure();
        return new ProjectionStatus(run.name(), run.options().name(), index, progress, Math.max(0, policy.deadLetters()),
                failure == null ? otherFailure : failure);
    }
}
