package dev.eventsource.internal.projection;

import dev.eventsource.ProjectionStatus;
import dev.eventsource.internal.Threads;
import dev.eventsource.store.CheckpointStore;
import dev.eventsource.store.Lease;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.TransactionalCheckpoints;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition lifecycle of one run of an asynchronous projection: which partitions run and from
 * which checkpoint ({@link #startPositions}), their {@link PartitionWorker}s and threads, which
 * partition the {@link LogRouter} may queue an event for ({@link #accepting}), and the one path by
 * which a partition writes its checkpoint to the store ({@link #saveCheckpoint}, {@link #commit} of a
 * transactional batch) or reads it back.
 *
 * <p>Partition ownership (scale-out) plugs in here, through the run's {@link Ownership}: only the
 * partitions this engine owns get a worker and a thread; {@link #accepting} answers {@code null} for
 * the others, so the router skips their events, and the router starts at the lowest checkpoint of
 * the owned ones; {@link #progress} covers the owned partitions. Every checkpoint write of an owned
 * partition ({@link #saveCheckpoint}, {@link #saveLastCheckpoint}, {@link #commit}) goes through the
 * store's fenced calls with the partition's lease when there is one, so it commits only while this
 * engine owns the partition; a refused write throws {@link LeaseLostException}, which ends that
 * partition's worker (not a failure). A change of the owned set is a new run ({@link ProjectionRunner}).
 *
 * <p>Threading: made, started and stopped under {@link AsyncProjection}'s monitor and by its
 * {@code stop}; {@link #accepting} and {@link #dispatched} are called by the router's thread; the
 * checkpoint methods by the partition's own worker thread; {@link #progress}, {@link #failed},
 * {@link #worker} by any thread (they read the workers' volatile fields). It keeps no mutable state
 * of its own once started. Logs under {@link AsyncProjection}'s logger, which the operations guide
 * lists.
 *
 * <pre>{@code
 * Partitions partitions = Partitions.load(run, Ownership.all());
 * partitions.newThreads(threads);
 * partitions.start();
 * }</pre>
 */
final class Partitions {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);

    private final ProjectionRun run;
    private final String name;
    private final Ownership ownership;
    /** By partition; {@code null} for a partition this run does not own. */
    private final PartitionWorker[] workers;
    /** By partition; {@code null} for one not owned, or one carried on stopped (it takes no events). */
    private final Thread[] threads;
    private final long lowest;

    private Partitions(ProjectionRun run, long[] from, Ownership ownership) {
        this.run = run;
        this.name = run.name();
        this.ownership = ownership;
        this.workers = new PartitionWorker[from.length];
        this.threads = new Thread[from.length];
        long min = Long.MAX_VALUE;
        for (int i = 0; i < from.length; i++) {
            if (!ownership.owns(i)) {
                continue;
            }
            Ownership.Resume resume = ownership.resume(i);
            long start = resume == null ? from[i] : Math.max(from[i], resume.progress());
            PartitionFailurePolicy policy = new PartitionFailurePolicy(run, i);
            if (resume != null && resume.failure() != null) {
                policy.stop(resume.failure());
            }
            workers[i] = new PartitionWorker(run, i, start, this, policy);
            min = Math.min(min, start);
        }
        this.lowest = min == Long.MAX_VALUE ? 0 : min;
    }

    /**
     * Loads the checkpoints from the run's store and makes one worker per partition of its options,
     * each resuming from its checkpoint (see {@link #startPositions}); no thread runs yet.
     *
     * @throws RuntimeException what the store threw when it cannot load or reset the checkpoints
     */
    static Partitions load(ProjectionRun run) {
        return load(run, Ownership.all());
    }

    /**
     * As {@link #load(ProjectionRun)}, with workers only for the partitions {@code ownership} owns;
     * one it carries on resumes from its own progress if that is past the stored checkpoint.
     */
    static Partitions load(ProjectionRun run, Ownership ownership) {
        return new Partitions(run, startPositions(run.store(), run.name(), run.options().partitions()), ownership);
    }

    /**
     * Each of {@code partitions} partitions' starting checkpoint. The saved checkpoints match the
     * partition count when every one is of a partition below it and the highest partition has one;
     * a partition without a checkpoint then starts from 0 (it never saved one since the layout was
     * recorded, as happens while several instances start a new projection at once). Otherwise the
     * count changed, so streams moved between partitions, and every partition starts from the lowest
     * saved checkpoint: events may be handled again, but none is missed. The new layout is recorded
     * with an explicit reset, since checkpoint saves never lower a checkpoint: delete them all, then
     * save the lowest for each partition, the highest first. A crash in between leaves no
     * checkpoints or only some, so the next start replays from position 0 (those without): duplicates,
     * never a gap. A projection without checkpoints records its layout the same way, zeros from the
     * highest partition down, without the delete (there is nothing to delete, and over a store that
     * shares partitions a delete revokes every instance's leases).
     *
     * <p>Every partition's layout is recorded unfenced, whoever owns it: the saves are of the lowest
     * checkpoint or 0, which never raise a checkpoint past events not handled and never lower one.
     */
    static long[] startPositions(CheckpointStore store, String name, int partitions) {
        int n = partitions;
        long[] from = new long[n];
        Map<Integer, Long> saved = store.loadCheckpoints(name);
        boolean matches = saved.containsKey(n - 1) && saved.keySet().stream().allMatch(k -> k >= 0 && k < n);
        if (matches) {
            for (int i = 0; i < n; i++) {
                from[i] = saved.getOrDefault(i, 0L);
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
        // partitions that no longer exist. The highest partition first: its checkpoint says the layout is recorded.
        if (!saved.isEmpty()) {
            store.deleteCheckpoints(name);
        }
        for (int i = n - 1; i >= 0; i--) {
            store.saveCheckpoint(name, i, lowest);
        }
        return from;
    }

    // ---- lifecycle, under AsyncProjection's monitor and by its stop ----

    /** The lowest start checkpoint of the owned partitions: where the router begins reading. */
    long lowest() {
        return lowest;
    }

    /**
     * Makes each owned partition's thread ({@code eventsource-<stream>-p<N>}) with {@code factory},
     * unstarted; none for a partition carried on stopped.
     */
    void newThreads(ThreadFactory factory) {
        for (int i = 0; i < workers.length; i++) {
            if (workers[i] != null && !workers[i].stopped()) {
                threads[i] = Threads.newThread(factory, "eventsource-" + run.options().name() + "-p" + i, workers[i]);
            }
        }
    }

    /** Starts the threads {@link #newThreads} made. */
    void start() {
        for (Thread t : threads) {
            if (t != null) {
                t.start();
            }
        }
    }

    /** Interrupts every partition's thread (the projection is stopping). */
    void interrupt() {
        for (Thread t : threads) {
            if (t != null) {
                t.interrupt();
            }
        }
    }

    /** Waits for every partition's thread to end. */
    void join() {
        for (Thread t : threads) {
            if (t != null) {
                Threads.join(t);
            }
        }
    }

    // ---- the router's thread ----

    /** How many partitions the projection has (owned or not): what the router partitions by. */
    int count() {
        return workers.length;
    }

    /**
     * The worker to queue the event at {@code position} of partition {@code partition} for, or
     * {@code null} when that partition does not take it: this run does not own it, the event is at or
     * before the partition's start checkpoint (it was handled before), or the partition stopped or
     * lost its lease.
     */
    PartitionWorker accepting(int partition, long position) {
        PartitionWorker w = workers[partition];
        return w != null && w.accepts(position) ? w : null;
    }

    /** The router dispatched every event up to {@code position}: tells each partition (and wakes the idle ones). */
    void dispatched(long position) {
        for (PartitionWorker w : workers) {
            if (w != null) {
                w.dispatched(position);
            }
        }
    }

    // ---- checkpoint writes, on the partition's own worker thread ----

    /**
     * Saves {@code position} as {@code partition}'s checkpoint, fenced by its lease if it has one,
     * retrying the store until it does.
     *
     * @throws StoreRetry.StopSignal when the projection stops while the store fails
     * @throws LeaseLostException when the partition's lease was lost; nothing was saved
     */
    void saveCheckpoint(int partition, long position) {
        run.retry().run(() -> save(partition, position), "save checkpoint " + position + " of partition " + partition);
    }

    private void save(int partition, long position) {
        Lease lease = ownership.lease(partition);
        if (lease == null) {
            run.store().saveCheckpoint(name, partition, position);
        } else {
            ownership.leases().saveCheckpoint(lease, position);
        }
    }

    /**
     * The worker's last save as it ends: one attempt; if the store fails, the events after {@code saved}
     * are handled again; if the lease was lost, its new owner handles them.
     */
    void saveLastCheckpoint(int partition, long progress, long saved) {
        try {
            save(partition, progress);
        } catch (LeaseLostException e) {
            LOG.debug("projection {} partition {}: checkpoint {} not saved on stop: the lease is lost", name, partition,
                    progress, e);
        } catch (RuntimeException e) {
            LOG.warn("projection {} partition {}: cannot save checkpoint {} on stop; events after {} will be"
                    + " handled again", name, partition, progress, saved, e);
        }
    }

    /**
     * Runs {@code work} in one store transaction that also saves {@code last} as {@code partition}'s
     * checkpoint, fenced by the partition's lease if it has one.
     *
     * @throws LeaseLostException when the lease was lost; the work did not run
     */
    void commit(int partition, long last, TransactionalCheckpoints.TransactionWork work) {
        Lease lease = ownership.lease(partition);
        if (lease == null) {
            run.transactions().inTransaction(name, partition, last, work);
        } else {
            ownership.leases().inTransaction(lease, last, work);
        }
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

    /**
     * The partition stopped on {@code failure}: records it with its lease, so every instance's status
     * shows it; one attempt (the partition's own status shows it here either way).
     */
    void markStopped(int partition, String failure) {
        Lease lease = ownership.lease(partition);
        if (lease == null) {
            return;
        }
        try {
            ownership.leases().markStopped(lease, failure);
        } catch (RuntimeException e) {
            LOG.warn("projection {} partition {}: cannot record in the store that the partition stopped; other instances"
                    + " do not show it", name, partition, e);
        }
    }

    /** {@code partition}'s worker ended because its lease was lost: tells whoever rebalances the partitions. */
    void lost(int partition) {
        ownership.lost();
    }

    // ---- any thread ----

    /** Partition {@code partition}'s status (it must be owned); its failure, or else {@code otherFailure} (the reader's, or null). */
    ProjectionStatus status(int partition, String otherFailure) {
        return workers[partition].status(otherFailure);
    }

    /** Partition {@code partition}'s worker, or {@code null} if this run does not own it. */
    PartitionWorker worker(int partition) {
        return workers[partition];
    }

    /**
     * The global position up to which every owned partition has handled every event; a partition
     * that lost its lease no longer counts (its new owner's checkpoint does). {@link Long#MAX_VALUE}
     * when none counts.
     */
    long progress() {
        long min = Long.MAX_VALUE;
        for (PartitionWorker w : workers) {
            if (w != null && !w.lost()) {
                min = Math.min(min, w.progress());
            }
        }
        return min;
    }

    /** Whether an owned partition stopped after a failure. */
    boolean failed() {
        for (PartitionWorker w : workers) {
            if (w != null && w.stopped()) {
                return true;
            }
        }
        return false;
    }
}
