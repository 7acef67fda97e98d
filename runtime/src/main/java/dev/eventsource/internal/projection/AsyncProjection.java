package dev.eventsource.internal.projection;

import dev.eventsource.EventDecodingException;
import dev.eventsource.EventEnvelope;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.StreamOptions;
import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.internal.Decoding;
import dev.eventsource.internal.Threads;
import dev.eventsource.spi.EventCodec;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.TransactionalCheckpoints;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One asynchronous projection: a reader thread tails the store's global log in batches from the
 * lowest partition checkpoint and routes each event by {@link Partitioner} into its partition's
 * bounded queue; one worker thread per partition handles its events and saves the partition's
 * checkpoint. A full queue blocks the reader (backpressure); nothing is dropped.
 *
 * <p>Threading model: the reader thread is the only producer of every queue and the only writer of
 * {@link #dispatched}; each partition's worker is the only consumer of its queue and the only writer
 * of its progress, checkpoint and failure. Other threads (awaitProjections, status, stop) only read
 * volatile fields. A worker skips events at or below its own checkpoint, so a restart from the lowest
 * checkpoint neither repeats nor misses events. Instances run once: {@link #start} then {@link #stop};
 * a rebuild makes a new instance.
 *
 * <p>Progress: a partition's {@code progress} is a global position up to which every event routed
 * to it was handled. When its queue is empty, everything the reader dispatched (up to
 * {@link #dispatched}) was handled too, so idle partitions advance with the reader; the reader wakes
 * idle workers with a marker so that this happens at once.
 *
 * <pre>{@code
 * AsyncProjection p = new AsyncProjection(target, StreamOptions.named("orders").partitions(4), store, null, head,
 *         Clock.systemUTC(), Threads.DEFAULT);
 * p.start();
 * long handledUpTo = p.progress();
 * p.stop();
 * }</pre>
 */
public final class AsyncProjection implements BooleanSupplier {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);

    /** Queued to an idle partition after a batch: "look at {@link #dispatched}". */
    private static final Object ADVANCE = new Object();
    private static final int MAX_DRAIN = 512;
    private static final long IDLE_SAVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long STORE_RETRY_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Target target;
    private final String name;
    private final StreamOptions options;
    private final EventStore store;
    private final TransactionalCheckpoints transactions;
    private final LongSupplier committedHead;
    private final Clock clock;
    private final ThreadFactory threads;
    private final Partition[] partitions;
    private final long pollNanos;

    private volatile boolean stopping;
    private volatile boolean sleeping;
    private volatile long dispatched;
    private volatile String readerFailure;
    private volatile boolean started;
    private Thread reader;

    /**
     * @param transactions the store's transaction role; required when the target is transactional
     * @param committedHead the engine's latest committed position, a hint that saves the reader a park
     * @param clock the time dead letters are stamped with
     * @param threads makes the reader and partition threads
     */
    public AsyncProjection(Target target, StreamOptions options, EventStore store, TransactionalCheckpoints transactions,
            LongSupplier committedHead, Clock clock, ThreadFactory threads) {
        this.target = target;
        this.name = target.name();
        this.options = options;
        this.store = store;
        this.transactions = transactions;
        this.committedHead = committedHead;
        this.clock = clock;
        this.threads = threads;
        this.partitions = new Partition[options.partitions()];
        this.pollNanos = options.pollInterval().toNanos();
    }

    /** The projection this instance feeds. */
    public Target target() {
        return target;
    }

    /** The options it was registered with. */
    public StreamOptions options() {
        return options;
    }

    /**
     * Loads the checkpoints and starts the reader and the partition workers. Does nothing when
     * started already; when the store fails, throws and stays unstarted, so it can be called again.
     */
    public synchronized void start() {
        if (started) {
            return;
        }
        long[] from = startPositions();
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < partitions.length; i++) {
            partitions[i] = new Partition(i, from[i]);
            lowest = Math.min(lowest, from[i]);
        }
        dispatched = lowest;
        long startAt = lowest;
        reader = thread("reader", () -> read(startAt));
        for (Partition p : partitions) {
            p.thread = thread("p" + p.index, p);
        }
        started = true;
        reader.start();
        for (Partition p : partitions) {
            p.thread.start();
        }
        LOG.debug("projection {} started on stream {} with {} partitions from position {}", name, options.name(),
                partitions.length, lowest);
    }

    private Thread thread(String role, Runnable body) {
        return Threads.newThread(threads, "eventsource-" + options.name() + "-" + role, body);
    }

    /**
     * Each partition's starting checkpoint. When the saved checkpoints do not match the partition
     * count (the count changed, so streams moved between partitions), every partition starts from
     * the lowest one: events may be handled again, but none is missed. The new layout is recorded
     * with an explicit reset, since checkpoint saves never lower a checkpoint: delete them all, then
     * save the lowest for each partition. A crash between the two leaves no checkpoints, so the
     * next start replays from position 0: duplicates, never a gap.
     */
    private long[] startPositions() {
        int n = partitions.length;
        long[] from = new long[n];
        Map<Integer, Long> saved = store.loadCheckpoints(name);
        boolean matches = saved.size() == n && saved.keySet().stream().allMatch(k -> k >= 0 && k < n);
        if (matches) {
            for (int i = 0; i < n; i++) {
                from[i] = saved.get(i);
            }
            return from;
        }
        long lowest = saved.values().stream().mapToLong(Long::longValue).min().orElse(0L);
        if (lowest > 0) {
            LOG.warn("projection {}: saved checkpoints {} do not match {} partitions; every partition resumes from position {}"
                    + " (the lowest), so some events may be handled again", name, saved, n, lowest);
        }
        Arrays.fill(from, lowest);
        // Record the layout at once, so the next start can tell it is unchanged: also drops the checkpoints of
        // partitions that no longer exist.
        store.deleteCheckpoints(name);
        for (int i = 0; i < n; i++) {
            store.saveCheckpoint(name, i, lowest);
        }
        return from;
    }

    /** Stops reading and handling, waits for the threads; events not handled yet stay in the store. */
    public void stop() {
        stopping = true;
        if (!started) {
            return;
        }
        reader.interrupt();
        for (Partition p : partitions) {
            p.thread.interrupt();
        }
        joinQuietly(reader);
        for (Partition p : partitions) {
            joinQuietly(p.thread);
        }
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes the reader if it is waiting for new events. Cheap when it is not: one volatile read. */
    public void nudge() {
        if (sleeping) {
            LockSupport.unpark(reader);
        }
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

    /** The global position up to which every partition has handled every event; 0 before start. */
    public long progress() {
        if (!started) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        for (Partition p : partitions) {
            min = Math.min(min, p.progress);
        }
        return min;
    }

    /** Whether a partition (or the reader) stopped after a failure and will not catch up by itself. */
    public boolean failed() {
        if (readerFailure != null) {
            return true;
        }
        if (!started) {
            return false;
        }
        for (Partition p : partitions) {
            if (p.failure != null) {
                return true;
            }
        }
        return false;
    }

    /** One status entry per partition. */
    public List<ProjectionStatus> status() {
        List<ProjectionStatus> out = new ArrayList<>(partitions.length);
        for (int i = 0; i < partitions.length; i++) {
            Partition p = started ? partitions[i] : null;
            String failure = p == null ? null : p.failure;
            if (failure == null && readerFailure != null) {
                failure = readerFailure;
            }
            out.add(new ProjectionStatus(name, options.name(), i, p == null ? 0 : p.progress, p == null ? 0 : p.deadLetters,
                    failure));
        }
        return out;
    }

    // ---- reader ---------------------------------------------------------------------------------

    private void read(long startAt) {
        long position = startAt;
        int n = partitions.length;
        int storeFailures = 0;
        try {
            while (!stopping) {
                List<StoredEvent> batch;
                try {
                    batch = store.readLog(position, options.batchSize());
                    storeFailures = 0;
                } catch (RuntimeException e) {
                    storeFailures++;
                    logStoreFailure("read the log after position " + position, storeFailures, e);
                    Delivery.sleep(storeRetryNanos(storeFailures));
                    continue;
                }
                if (batch.isEmpty()) {
                    awaitEvents(position);
                    continue;
                }
                for (int i = 0, size = batch.size(); i < size; i++) {
                    StoredEvent e = batch.get(i);
                    Partition p = partitions[n == 1 ? 0 : Partitioner.partition(e.streamId(), n)];
                    if (e.globalPosition() > p.startCheckpoint && p.failure == null) {
                        enqueue(p, e);
                    }
                }
                position = batch.get(batch.size() - 1).globalPosition();
                dispatched = position;
                for (Partition p : partitions) {
                    if (p.queue.isEmpty()) {
                        p.queue.offer(ADVANCE);
                    }
                }
            }
        } catch (InterruptedException e) {
            // stop() asked us to go
        } catch (Throwable t) {
            Delivery.rethrowFatal(t);
            readerFailure = "reader failed at position " + position + ": " + t;
            LOG.error("projection {}: reader of stream {} failed at position {}; the projection stops", name,
                    options.name(), position, t);
        }
    }

    /** Blocking put that gives up only when the partition stopped or the projection is stopping. */
    private void enqueue(Partition p, StoredEvent e) throws InterruptedException {
        if (p.queue.offer(e)) {
            return;
        }
        while (!p.queue.offer(e, 20, TimeUnit.MILLISECONDS)) {
            if (stopping) {
                throw new InterruptedException("stopping");
            }
            if (p.failure != null) {
                return; // a stopped partition takes nothing; its checkpoint keeps the event for a restart
            }
        }
    }

    private void awaitEvents(long position) {
        sleeping = true;
        if (committedHead.getAsLong() <= position && !stopping) {
            LockSupport.parkNanos(this, pollNanos);
        }
        sleeping = false;
    }

    private static long storeRetryNanos(int failures) {
        return Math.min(STORE_RETRY_MIN_NANOS << Math.min(failures - 1, 6), TimeUnit.SECONDS.toNanos(5));
    }

    private void logStoreFailure(String what, int failures, RuntimeException e) {
        if (failures == 1 || failures % 20 == 0) {
            LOG.warn("projection {}: cannot {} ({} failures in a row); retrying", name, what, failures, e);
        }
    }

    /**
     * Runs a store operation until it succeeds: a store outage delays the projection, never loses
     * or skips an event. {@link #stop} ends the attempts with a {@link StopSignal}.
     */
    private void retryStore(Runnable operation, String what) {
        for (int failures = 1; ; failures++) {
            try {
                operation.run();
                return;
            } catch (RuntimeException e) {
                logStoreFailure(what, failures, e);
                if (stopping) {
                    throw new StopSignal();
                }
                LockSupport.parkNanos(storeRetryNanos(failures));
            }
        }
    }

    /** Unwinds a worker whose store retry was cut short by {@link #stop}. */
    private static final class StopSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopSignal() {
            super("stopping", null, false, false);
        }
    }

    // ---- partition worker -----------------------------------------------------------------------

    private final class Partition implements Runnable {
        final int index;
        final long startCheckpoint;
        final ArrayBlockingQueue<Object> queue;
        final ArrayList<Object> drained = new ArrayList<>();
        Thread thread;
        volatile long progress;
        volatile long deadLetters;
        volatile String failure;
        long saved;
        long savedAtNanos = System.nanoTime();

        Partition(int index, long checkpoint) {
            this.index = index;
            this.startCheckpoint = checkpoint;
            this.progress = checkpoint;
            this.saved = checkpoint;
            this.queue = new ArrayBlockingQueue<>(options.bufferSize());
        }

        @Override
        public void run() {
            try {
                while (!stopping) {
                    Object first = queue.poll(pollNanos, TimeUnit.NANOSECONDS);
                    boolean handled = false;
                    if (first != null) {
                        drained.add(first);
                        queue.drainTo(drained, MAX_DRAIN - 1);
                        boolean goOn = target.transactional() ? processInTransactions(drained) : process(drained);
                        drained.clear();
                        if (!goOn) {
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
                }
            } catch (InterruptedException | StopSignal e) {
                // stop() asked us to go
            } catch (Throwable t) {
                Delivery.rethrowFatal(t);
                failure = "partition worker failed after position " + progress + ": " + t;
                LOG.error("projection {} partition {}: worker failed after position {}; the partition stops", name, index,
                        progress, t);
            } finally {
                if (progress > saved) {
                    try {
                        store.saveCheckpoint(name, index, progress);
                    } catch (RuntimeException e) {
                        LOG.warn("projection {} partition {}: cannot save checkpoint {} on stop; events after {} will be"
                                + " handled again", name, index, progress, saved, e);
                    }
                }
            }
        }

        private void saveCheckpoint(long position) {
            retryStore(() -> store.saveCheckpoint(name, index, position), "save checkpoint " + position + " of partition "
                    + index);
            saved = position;
            savedAtNanos = System.nanoTime();
        }

        /**
         * Handles a batch one event at a time; false when the partition stopped on a failure.
         *
         * @throws InterruptedException when {@link #stop} was called: the events not handled yet
         *     stay after the checkpoint (a stop, e.g. a close that timed out, must not wait for a
         *     whole drained batch of a slow projection)
         */
        private boolean process(List<Object> batch) throws InterruptedException {
            for (int i = 0, n = batch.size(); i < n; i++) {
                Object item = batch.get(i);
                if (item == ADVANCE) {
                    continue;
                }
                if (stopping) {
                    throw new InterruptedException("stopping");
                }
                StoredEvent e = (StoredEvent) item;
                if (!deliver(e)) {
                    return false;
                }
                progress = e.globalPosition();
            }
            return true;
        }

        private boolean deliver(StoredEvent e) throws InterruptedException {
            EventCodec<?> codec = target.codecFor(e.eventType());
            if (codec == null && !target.receivesEveryEvent()) {
                return true;
            }
            EventEnvelope<Object> envelope;
            try {
                envelope = Decoding.envelope(e, Decoding.decode(e, codec));
            } catch (EventDecodingException x) {
                return giveUp(e, x, 1);
            }
            Throwable failure = Delivery.handle(target, envelope, options, AsyncProjection.this);
            return failure == null || giveUp(e, failure, options.maxAttempts());
        }

        /** Applies the failure policy; true when the partition goes on with the next event. */
        private boolean giveUp(StoredEvent e, Throwable error, int attempts) {
            if (options.failurePolicy() == FailurePolicy.DEAD_LETTER) {
                var letter = Delivery.deadLetter(name, index, e.globalPosition(), e.streamType(), e.streamId(), e.version(),
                        e.eventType(), attempts, error, clock);
                retryStore(() -> store.saveDeadLetter(letter), "save a dead letter for " + e.describe());
                deadLetters++;
                LOG.error("projection {} partition {}: gave up on {} after {} attempts; recorded as a dead letter", name,
                        index, e.describe(), attempts, error);
                return true;
            }
            failure = "stopped at " + e.describe() + " after " + attempts + " attempts: " + error;
            LOG.error("projection {} partition {}: stopped at {} after {} attempts; later events of this partition wait"
                    + " until the projection is restarted or rebuilt", name, index, e.describe(), attempts, error);
            return false;
        }

        // ---- transactional projections ----

        /**
         * Handles the batch in one store transaction that also saves the checkpoint; if a handler
         * fails, handles the batch's events one transaction each, so the failing one can be retried
         * and dealt with by the policy alone.
         */
        private boolean processInTransactions(List<Object> batch) throws InterruptedException {
            List<StoredEvent> events = new ArrayList<>(batch.size());
            for (Object item : batch) {
                if (item != ADVANCE) {
                    events.add((StoredEvent) item);
                }
            }
            if (events.isEmpty()) {
                return true;
            }
            if (events.size() > 1 && runTransaction(events) == null) {
                return true;
            }
            for (StoredEvent e : events) {
                if (!handleInOwnTransaction(e)) {
                    return false;
                }
            }
            return true;
        }

        private boolean handleInOwnTransaction(StoredEvent e) throws InterruptedException {
            List<StoredEvent> one = List.of(e);
            Throwable failure = null;
            int attempt = 0;
            while (attempt < options.maxAttempts()) {
                if (attempt > 0) {
                    Delivery.sleep(Delivery.backoffNanos(options, attempt));
                }
                attempt++;
                failure = runTransaction(one);
                if (failure == null) {
                    return true;
                }
                if (failure instanceof EventDecodingException) {
                    break;
                }
            }
            if (!giveUp(e, failure, attempt)) {
                return false;
            }
            saveCheckpoint(e.globalPosition());
            progress = e.globalPosition();
            return true;
        }

        /**
         * One transaction for {@code events} and their checkpoint. Store failures (nothing the
         * projection threw, or what it threw because the store's connection broke under it:
         * {@link StoreUnavailableException}) are retried until they pass, unless the checkpoint shows
         * that the transaction committed after all.
         *
         * @return {@code null} when committed, else what the projection threw
         */
        private Throwable runTransaction(List<StoredEvent> events) throws InterruptedException {
            long last = events.get(events.size() - 1).globalPosition();
            for (int failures = 1; ; failures++) {
                TransactionBatch work = new TransactionBatch(events);
                try {
                    transactions.inTransaction(name, index, last, work);
                } catch (Throwable t) {
                    Delivery.rethrowFatal(t);
                    if (stopping) {
                        throw new InterruptedException("stopping");
                    }
                    if (work.failure != null && !(t instanceof StoreUnavailableException)) {
                        return work.failure;                 // the projection failed, not the store
                    }
                    logStoreFailure("commit a transaction up to position " + last + " of partition " + index, failures,
                            t instanceof RuntimeException r ? r : new RuntimeException(t));
                    Delivery.sleep(storeRetryNanos(failures));
                    if (work.failure != null || !committedAnyway(last)) {
                        continue;                            // the work did not commit: run it again
                    }
                }
                saved = last;
                savedAtNanos = System.nanoTime();
                progress = last;
                return null;
            }
        }

        /**
         * After a transaction failed in the store: whether it committed all the same (the reply to
         * its commit was lost). Its checkpoint was saved in the transaction and never moves back, so
         * it has reached {@code last} when the transaction committed (or when another engine running
         * this projection committed those events in its own transactions); running the work again
         * would apply its events twice. Asks until the store answers.
         */
        private boolean committedAnyway(long last) {
            long[] checkpoint = {-1};
            retryStore(() -> checkpoint[0] = store.loadCheckpoints(name).getOrDefault(index, -1L),
                    "read the checkpoint of partition " + index + " after a failed commit");
            return checkpoint[0] >= last;
        }
    }

    /** The work of one projection transaction; remembers whether the projection (not the store) failed. */
    private final class TransactionBatch implements TransactionalCheckpoints.TransactionWork {
        private final List<StoredEvent> events;
        Throwable failure;

        TransactionBatch(List<StoredEvent> events) {
            this.events = events;
        }

        @Override
        public void run(Object tx) throws Exception {
            for (StoredEvent e : events) {
                EventCodec<?> codec = target.codecFor(e.eventType());
                if (codec == null && !target.receivesEveryEvent()) {
                    continue;
                }
                try {
                    target.handle(Decoding.envelope(e, Decoding.decode(e, codec)), tx);
                } catch (Exception | Error x) {
                    failure = x;
                    throw x;
                }
            }
        }
    }
}
