package dev.eventsource.internal.projection;

import dev.eventsource.ProjectionStatus;
import dev.eventsource.internal.Threads;
import dev.eventsource.store.CheckpointStore;
import dev.eventsource.store.TransactionalCheckpoints;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition lifecycle of one asynchronous projection: which partitions run and from which
 * checkpoint ({@link #startPositions}), their {@link PartitionWorker}s and threads, which partition
 * the {@link LogRouter} may queue an event for ({@link #accepting}), and the one path by which a
 * partition writes its checkpoint to the store ({@link #saveCheckpoint}, {@link #commit} of a
 * transactional batch) or reads it back.
 *
 * <p>Partition ownership (scale-out) plugs in here: {@link #load} would take a lease per partition
 * and make and start workers only for the partitions this engine owns (and stop the worker of a
 * partition whose lease it loses); {@link #accepting} would answer {@code null} for a partition it
 * does not own, so the router skips its events; {@link #progress} would cover the owned partitions;
 * and {@link #saveCheckpoint}, {@link #saveLastCheckpoint} and {@link #commit}, which every
 * checkpoint write of a partition goes through, would be fenced by the lease, so a partition saves
 * checkpoints and commits transactional batches only while this engine owns it. The router, the
 * workers and the failure policy would not change; {@link TransactionalBatches} would only have to
 * let a commit refused for a lost lease end the worker instead of retrying it as a store failure.
 *
 * <p>Threading: made, started and stopped under {@link AsyncProjection}'s monitor and by its
 * {@code stop}; {@link #accepting} and {@link #dispatched} are called by the router's thread; the
 * checkpoint methods by the partition's own worker thread; {@link #progress}, {@link #failed} and
 * {@link #status} by any thread (they read the workers' volatile fields). It keeps no mutable state
 * of its own once started. Logs under {@link AsyncProjection}'s logger, which the operations guide
 * lists.
 *
 * <pre>{@code
 * Partitions partitions = Partitions.load(run);
 * partitions.newThreads(threads);
 * partitions.start();
 * }</pre>
 */
final class Partitions {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);

    private final ProjectionRun run;
    private final String name;
    private final PartitionWorker[] workers;
    private final Thread[] threads;
    private final long lowest;

    private Partitions(ProjectionRun run, long[] from) {
        this.run = run;
        this.name = run.name();
        this.workers = new PartitionWorker[from.length];
        this.threads = new Thread[from.length];
        long min = Long.MAX_VALUE;
        for (int i = 0; i < from.length; i++) {
            workers[i] = new PartitionWorker(run, i, from[i], this, new PartitionFailurePolicy(run, i));
            min = Math.min(min, from[i]);
        }
        this.lowest = min;
    }

    /**
     * Loads the checkpoints from the run's store and makes one worker per partition of its options,
     * each resuming from its checkpoint (see {@link #startPositions}); no thread runs yet.
     *
     * @throws RuntimeException what the store threw when it cannot load or reset the checkpoints
     */
    static Partitions load(ProjectionRun run) {
        return new Partitions(run, startPositions(run.store(), run.name(), run.options().partitions()));
    }

    /**
     * Each of {@code partitions} partitions' starting checkpoint. When the saved checkpoints do not
     * match the partition count (the count changed, so streams moved between partitions), every
     * partition starts from the lowest one: events may be handled again, but none is missed. The new
     * layout is recorded with an explicit reset, since checkpoint saves never lower a checkpoint:
     * delete them all, then save the lowest for each partition. A crash between the two leaves no
     * checkpoints, so the next start replays from position 0: duplicates, never a gap.
     */
    static long[] startPositions(CheckpointStore store, String name, int partitions) {
        int n = partitions;
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

    // ---- lifecycle, under AsyncProjection's monitor and by its stop ----

    /** The lowest start checkpoint: where the router begins reading. */
    long lowest() {
        return lowest;
    }

    /** Makes each partition's thread ({@code eventsource-<stream>-p<N>}) with {@code factory}, unstarted. */
    void newThreads(ThreadFactory factory) {
        for (int i = 0; i < workers.length; i++) {
            threads[i] = Threads.newThread(factory, "eventsource-" + run.options().name() + "-p" + i, workers[i]);
        }
    }

    /** Starts the threads {@link #newThreads} made. */
    void start() {
        for (Thread t : threads) {
            t.start();
        }
    }

    /** Interrupts every partition's thread (the projection is stopping). */
    void interrupt() {
        for (Thread t : threads) {
            t.interrupt();
        }
    }

    /** Waits for every partition's thread to end. */
    void join() {
        for (Thread t : threads) {
            Threads.join(t);
        }
    }

    // ---- the router's thread ----

    /** How many partitions there are. */
    int count() {
        return workers.length;
    }

    /**
     * The worker to queue the event at {@code position} of partition {@code partition} for, or
     * {@code null} when that partition does not take it: the event is at or before the partition's
     * start checkpoint (it was handled before), or the partition stopped.
     */
    PartitionWorker accepting(int partition, long position) {
        PartitionWorker w = workers[partition];
        return w.accepts(position) ? w : null;
    }

    /** The router dispatched every event up to {@code position}: tells each partition (and wakes the idle ones). */
    void dispatched(long position) {
        for (PartitionWorker w : workers) {
            w.dispatched(position);
        }
    }

    // ---- checkpoint writes, on the partition's own worker thread ----

    /**
     * Saves {@code position} as {@code partition}'s checkpoint, retrying the store until it does.
     *
     * @throws StoreRetry.StopSignal when the projection stops while the store fails
     */
    void saveCheckpoint(int partition, long position) {
        run.retry().run(() -> run.store().saveCheckpoint(name, partition, position), "save checkpoint " + position + " of partition "
                + partition);
    }

    /** The worker's last save as it ends: one attempt; if the store fails, the events after {@code saved} are handled again. */
    void saveLastCheckpoint(int partition, long progress, long saved) {
        try {
            run.store().saveCheckpoint(name, partition, progress);
        } catch (RuntimeException e) {
            LOG.warn("projection {} partition {}: cannot save checkpoint {} on stop; events after {} will be"
                    + " handled again", name, partition, progress, saved, e);
        }
    }

    /** Runs {@code work} in one store transaction that also saves {@code last} as {@code partition}'s checkpoint. */
    void commit(int partition, long last, TransactionalCheckpoints.TransactionWork work) {
        run.transactions().inTransaction(name, partition, last, work);
    }

    /**
     * {@code partition}'s saved checkpoint, or -1 when it has none; asks until the store answers.
     *
     * @throws StoreRetry.StopSignal when the projection stops while the store fails
     */
    long checkpoint(int partition) {
        long[] checkpoint = {-1};
        run.retry().run(() -> checkpoint[0] = run.store().loadCheckpoints(name).getOrDefault(partition, -1L),
                "read the checkpoint of partition " + partition + " after a failed commit");
        return checkpoint[0];
    }

    // ---- any thread ----

    /** Partition {@code partition}'s status; its failure, or else {@code otherFailure} (the reader's, or null). */
    ProjectionStatus status(int partition, String otherFailure) {
        return workers[partition].status(otherFailure);
    }

    /** The global position up to which every partition has handled every event. */
    long progress() {
        long min = Long.MAX_VALUE;
        for (PartitionWorker w : workers) {
            min = Math.min(min, w.progress());
        }
        return min;
    }

    /** Whether a partition stopped after a failure. */
    boolean failed() {
        for (PartitionWorker w : workers) {
            if (w.stopped()) {
                return true;
            }
        }
        return false;
    }
}
