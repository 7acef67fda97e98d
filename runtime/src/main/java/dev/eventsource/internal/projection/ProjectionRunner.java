package dev.eventsource.internal.projection;

import dev.eventsource.EngineObserver;
import dev.eventsource.EventSourceException;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.Lease;
import dev.eventsource.store.PartitionLeases;
import dev.eventsource.store.TransactionalCheckpoints;
import dev.eventsource.store.TransactionalDeadLetters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered asynchronous projection over the engine's life: the {@link AsyncProjection} run over
 * the partitions this engine owns now, replaced when that set changes or a rebuild resets the
 * projection, and, over a store with {@link PartitionLeases}, this instance's side of the ownership
 * protocol for it.
 *
 * <p>Ownership. Over a store without leases the engine owns every partition, and there is one run
 * from {@link #start} to {@link #close} (or to a rebuild), exactly as before scale-out. Over a store
 * with leases, {@link #start} and then every {@link #tick} of the lease thread heartbeat, and apply a
 * {@link Rebalance}: claim up to the share, hand over the partitions over it, drop the lost ones.
 * A change of the owned set is applied by replacing the run: the old run stops (each worker finishes
 * the event in hand, or the transaction in flight, and saves its checkpoint, fenced, while the lease
 * is still held), the extras are released, and a new run starts over the new set, reading the
 * checkpoints after the claim (a partition kept resumes from its own progress if that is ahead:
 * it held the partition at one epoch throughout, so no one else wrote). The reader of the new run
 * starts at the lowest checkpoint of its partitions and each worker skips what its checkpoint
 * covers, so the change loses and repeats no event. The partitions kept pause for the swap: the stop
 * (the slowest worker's event in hand) plus one checkpoint load and the threads' start, about a
 * millisecond on the in-memory store. Changes are rare: an instance joins, leaves or dies, or a
 * rebuild revokes the leases.
 *
 * <p>Threading: {@link #start}, {@link #tick} (the lease thread), {@link #rebuild} and
 * {@link #close} are serialized by {@link #lock}, held across their store calls and the stop of a
 * run but never by command threads; it guards the owned leases and what is carried to the next run.
 * The current run, the flags and the dead-letter counts are read without locking by command threads
 * ({@link #nudge}), waiters ({@link #reached}), {@link #status} and {@link #retryDeadLetters} (which
 * hands its work to the current run's partition threads and waits for them). Logs under
 * {@link AsyncProjection}'s logger, which the operations guide lists.
 *
 * <pre>{@code
 * ProjectionRunner runner = new ProjectionRunner(target, options, store, null, head, clock, threads, cluster, wake);
 * runner.start();
 * runner.tick();                                       // the lease thread, every heartbeat
 * boolean done = runner.reached(position, true, false) == ProjectionRunner.CAUGHT_UP;
 * runner.close();
 * }</pre>
 */
final class ProjectionRunner {

    /** {@link #reached}: every partition has handled every event up to the position. */
    static final int CAUGHT_UP = 1;
    /** {@link #reached}: some partition has not yet. */
    static final int BEHIND = 0;
    /** {@link #reached}: a partition stopped on a failure and will not catch up by itself. */
    static final int FAILED = -1;

    private static final Logger LOG = LoggerFactory.getLogger(AsyncProjection.class);

    private final Target target;
    private final StreamOptions options;
    private final EventStore store;
    private final TransactionalCheckpoints transactions;
    private final LongSupplier committedHead;
    private final Clock clock;
    private final ThreadFactory threads;
    private final Cluster cluster;
    private final Runnable wake;
    private final EngineObserver observer;
    private final StoreRetry retry;
    private final ReentrantLock lock = new ReentrantLock();
    /** By partition, what earlier runs dead-lettered since the start or the last rebuild. */
    private final AtomicLongArray deadLetters;

    private volatile AsyncProjection run;
    private volatile boolean started;
    private volatile boolean closed;
    /** Set while a rebuild stops and resets the projection: it has not caught up, whatever the checkpoints say. */
    private volatile boolean resetting;
    /** A copy of {@link #owned}, for status when the store does not answer. */
    private volatile Lease[] ownedView;
    /** Guarded by {@link #lock}: the lease of each partition this engine owns, by partition. */
    private final Lease[] owned;
    /** Guarded by {@link #lock}: where partitions carried on resume in the next run, until one starts. */
    private Ownership.Resume[] resume;
    /** Guarded by {@link #lock}: a rebuild failed to reset; no run until the next rebuild. */
    private boolean paused;
    /** Guarded by {@link #lock}: ticks that failed in a row, for the log. */
    private int failures;

    /**
     * @param transactions the store's transaction role; required when the target is transactional
     * @param committedHead the engine's latest committed position, a hint for the reader
     * @param clock the time dead letters are stamped with
     * @param threads makes every run's threads
     * @param wake tells the lease thread to tick now (a worker found its lease lost)
     */
    ProjectionRunner(Target target, StreamOptions options, EventStore store, TransactionalCheckpoints transactions,
            LongSupplier committedHead, Clock clock, ThreadFactory threads, Cluster cluster, Runnable wake,
            EngineObserver observer) {
        this.target = target;
        this.options = options;
        this.store = store;
        this.transactions = transactions;
        this.committedHead = committedHead;
        this.clock = clock;
        this.threads = threads;
        this.cluster = cluster;
        this.wake = wake;
        this.observer = observer;
        this.retry = new StoreRetry(target.name(), () -> closed);
        this.deadLetters = new AtomicLongArray(options.partitions());
        this.owned = new Lease[options.partitions()];
        this.ownedView = owned.clone();
    }

    /** The projection. */
    Target target() {
        return target;
    }

    /** Its options. */
    StreamOptions options() {
        return options;
    }

    /** Whether {@link #start} succeeded. */
    boolean started() {
        return started;
    }

    private String name() {
        return target.name();
    }

    // ---- lifecycle, under the lock ----

    /**
     * Starts the projection: over a store without leases, one run over every partition; with leases,
     * a first heartbeat and rebalance on the caller's thread (so that a store that cannot be reached
     * fails the start), after which the lease thread ticks it. Does nothing when started already;
     * when the store fails, throws and stays unstarted (giving up any lease it claimed, if it can),
     * so it can be called again.
     */
    void start() {
        lock.lock();
        try {
            if (started) {
                return;
            }
            if (cluster.shared()) {
                try {
                    rebalance();
                } catch (RuntimeException e) {
                    if (owns()) {
                        leave();
                    }
                    throw e;
                }
            } else {
                startRun(Ownership.all());
            }
            started = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One heartbeat of the lease thread (a store with leases only): renews the leases and rebalances.
     *
     * @return false when the store failed (logged); the engine keeps running what it runs
     */
    boolean tick() {
        if (!started || closed) {
            return true;
        }
        lock.lock();
        try {
            if (!started || closed || paused) {
                return true;
            }
            rebalance();
            failures = 0;
            return true;
        } catch (RuntimeException e) {
            failures++;
            retry.log("renew its partition leases or rebalance (it keeps running its partitions until their leases"
                    + " run out)", failures, e);
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Heartbeats and applies the {@link Rebalance}: claims, hands over, drops what was lost, and
     * replaces the run when the owned set changed (or starts one that failed to start before).
     */
    private void rebalance() {
        PartitionLeases leases = cluster.leases();
        int n = options.partitions();
        String id = cluster.instanceId();
        PartitionLeases.Membership membership = leases.heartbeat(name(), n, id, cluster.leaseTimeout());
        AsyncProjection current = run;
        boolean[] reported = new boolean[n];
        for (int i = 0; i < n; i++) {
            PartitionWorker w = current == null ? null : current.worker(i);
            reported[i] = w != null && w.lost();
        }
        Rebalance plan = Rebalance.plan(n, membership, owned, reported);
        for (Lease foreign : plan.foreign()) {
            LOG.warn("projection {} partition {}: the store says instance {} holds it at epoch {}, but this engine does not"
                    + " run it there (a release that failed, or another engine with the same instance id: ids must be"
                    + " unique); releasing it", name(), foreign.partition(), id, foreign.epoch());
            release(foreign);
        }
        List<Lease> claimed = plan.claim() > 0 ? leases.claim(name(), n, id, plan.claim(), cluster.leaseTimeout()) : List.of();
        refreshExpiry(membership);
        if (!plan.changes() && claimed.isEmpty()) {
            if (current == null && owns()) {
                startRun(leased(leases));    // a start that failed before
            }
            return;
        }
        long began = System.nanoTime();
        List<Integer> before = ownedPartitions();
        if (current != null) {
            stopRun(current);
        }
        for (int p : plan.lost()) {
            drop(p);
        }
        for (int p : plan.extras()) {
            Lease extra = owned[p];
            drop(p);
            release(extra);
        }
        for (Lease l : claimed) {
            owned[l.partition()] = l;
            if (l.failure() != null) {
                clearFailure(l);
            }
        }
        ownedView = owned.clone();
        List<Integer> now = ownedPartitions();
        if (now.isEmpty()) {
            run = null;
        } else {
            startRun(leased(leases));
        }
        LOG.info("projection {}: instance {} runs partitions {} of {} (was {}; share {} of {} instances; claimed {}, handed"
                + " over {}, lost {}); the swap paused it {} ms", name(), id, now, n, before, plan.share(),
                membership.instances(), claimed.stream().map(Lease::partition).toList(), plan.extras(), plan.lost(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    private Ownership leased(PartitionLeases leases) {
        return Ownership.leased(leases, owned, resume, wake);
    }

    /** Stops {@code current} and keeps, for the next run, what each of its partitions reached. */
    private void stopRun(AsyncProjection current) {
        current.stop();
        Ownership.Resume[] carried = new Ownership.Resume[options.partitions()];
        for (int i = 0; i < carried.length; i++) {
            PartitionWorker w = current.worker(i);
            if (w != null) {
                deadLetters.addAndGet(i, w.deadLetters());
                if (!w.lost()) {
                    carried[i] = new Ownership.Resume(w.progress(), w.failure());
                }
            }
        }
        resume = carried;
    }

    /** Forgets partition {@code p}: no longer owned, nothing carried. */
    private void drop(int p) {
        owned[p] = null;
        if (resume != null) {
            resume[p] = null;
        }
    }

    /** Starts a new run over {@code ownership}; on failure there is none, and the next tick (or start) tries again. */
    private void startRun(Ownership ownership) {
        AsyncProjection next = new AsyncProjection(target, options, store, transactions, committedHead, clock, threads,
                ownership, observer);
        try {
            next.start();
        } catch (RuntimeException e) {
            run = null;
            throw e;
        }
        run = next;
        resume = null;
    }

    private boolean owns() {
        for (Lease l : owned) {
            if (l != null) {
                return true;
            }
        }
        return false;
    }

    private List<Integer> ownedPartitions() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < owned.length; i++) {
            if (owned[i] != null) {
                out.add(i);
            }
        }
        return out;
    }

    /** Keeps the renewed expiry of the leases still held at their epoch (for status when the store does not answer). */
    private void refreshExpiry(PartitionLeases.Membership membership) {
        for (Lease h : membership.held()) {
            int p = h.partition();
            if (p >= 0 && p < owned.length && owned[p] != null && owned[p].epoch() == h.epoch()) {
                owned[p] = h;
            }
        }
        ownedView = owned.clone();
    }

    /** Releases {@code lease}; if that fails, the next heartbeat reports it held and it is released then. */
    private void release(Lease lease) {
        try {
            cluster.leases().release(lease);
        } catch (RuntimeException e) {
            LOG.warn("projection {} partition {}: cannot release the lease; retrying after the next heartbeat", name(),
                    lease.partition(), e);
        }
    }

    /** The previous owner stopped the partition; this engine tries it again, so the stale failure goes. */
    private void clearFailure(Lease lease) {
        try {
            cluster.leases().markStopped(lease, null);
        } catch (RuntimeException e) {
            LOG.warn("projection {} partition {}: cannot clear the failure its previous owner recorded", name(),
                    lease.partition(), e);
        }
    }

    /**
     * Rebuilds the projection from scratch, as far as this engine is concerned: stops its run, resets
     * the read model and forgets the checkpoints ({@link #reset}; over a store with leases that also
     * revokes every instance's leases of the projection, so the others stop and claim again, and
     * every partition starts from the beginning on whichever instance claims it), then, if started,
     * claims this engine's share and starts again. Dead-letter counts and stopped partitions start
     * afresh, and the dead letters recorded before go: the replay handles their events again (and
     * records a new dead letter for each that still fails), so retrying the old ones would apply them
     * twice. The caller waits for the replay.
     *
     * @throws EventSourceException when the reset fails: the projection is paused here (its leases
     *     given up) until the next rebuild
     */
    void rebuild() {
        lock.lock();
        resetting = true;
        try {
            AsyncProjection current = run;
            if (current != null) {
                current.stop();
            }
            run = null;
            resume = null;
            for (int i = 0; i < owned.length; i++) {
                deadLetters.set(i, 0);
                owned[i] = null;   // the reset revokes them (and if it fails, they are given up below)
            }
            ownedView = owned.clone();
            try {
                reset();
            } catch (RuntimeException e) {
                paused = true;
                if (cluster.shared()) {
                    leave();
                }
                throw e;
            }
            paused = false;
            if (!started) {
                return;
            }
            if (cluster.shared()) {
                try {
                    rebalance();
                } catch (RuntimeException e) {
                    LOG.warn("projection {}: reset for a rebuild, but cannot claim partitions yet; the lease thread retries",
                            name(), e);
                }
            } else {
                startRun(Ownership.all());
            }
        } finally {
            resetting = false;
            lock.unlock();
        }
    }

    /**
     * Forgets the projection's checkpoints and resets its read model. A transactional projection does
     * both in one store transaction. Otherwise the checkpoints go first: a crash in between replays
     * into the old state (duplicates, which at-least-once projections tolerate) rather than resuming
     * an emptied read model from old checkpoints (a gap). Then the dead letters from before go (see
     * {@link DeadLetterRetry#dropStale}); a transactional projection's in the reset's transaction when
     * the store has {@link TransactionalDeadLetters}.
     */
    private void reset() {
        List<DeadLetter> stale;
        try {
            stale = store.loadDeadLetters(name());
            TransactionalDeadLetters deletes = transactions instanceof TransactionalDeadLetters d ? d : null;
            if (transactions == null) {
                store.deleteCheckpoints(name());
                target.reset(null);
            } else {
                transactions.resetInTransaction(name(), tx -> {
                    target.reset(tx);
                    if (deletes != null) {
                        for (DeadLetter d : stale) {
                            deletes.deleteDeadLetter(tx, name(), d.globalPosition());
                        }
                    }
                });
                if (deletes != null) {
                    return;
                }
            }
        } catch (Exception e) {
            throw new EventSourceException("cannot reset projection " + name() + " for a rebuild; it is paused,"
                    + " call rebuildProjection again once the cause is fixed", e);
        }
        DeadLetterRetry.dropStale(store, name(), stale);
    }

    /**
     * Stops the run (each worker saves its checkpoint) and, over a store with leases, leaves: every
     * partition is free for the other instances at once. The run stays readable for waiters.
     */
    void close() {
        closed = true;
        lock.lock();
        try {
            AsyncProjection current = run;
            if (current != null) {
                current.stop();
            }
            if (cluster.shared() && (started || owns())) {
                leave();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Releases every lease at once and ends the membership; if the store fails, the leases run out instead. */
    private void leave() {
        for (int i = 0; i < owned.length; i++) {
            owned[i] = null;
        }
        ownedView = owned.clone();
        try {
            cluster.leases().leave(name(), cluster.instanceId());
        } catch (RuntimeException e) {
            LOG.warn("projection {}: cannot give up the partition leases of instance {}; other instances take them when"
                    + " they run out, within {}", name(), cluster.instanceId(), cluster.leaseTimeout(), e);
        }
    }

    // ---- any thread ----

    /**
     * Retries {@code letters} (the projection's dead letters, in position order) on the partitions
     * this engine runs now: each partition's share, by the partition its stream maps to now, goes to
     * that partition's worker thread; the others are reported as not retried, with the reason.
     * Waits for the workers until {@code deadlineNanos} ({@link System#nanoTime()}); on timeout it
     * cancels what they have not begun.
     *
     * @return what became of each dead letter
     * @throws EventSourceException on timeout (the dead letters not retried stay) or interruption
     */
    DeadLetterRetry.Report retryDeadLetters(List<DeadLetter> letters, long deadlineNanos) {
        int n = options.partitions();
        Map<Integer, List<DeadLetter>> byPartition = new TreeMap<>();
        for (DeadLetter d : letters) {
            byPartition.computeIfAbsent(n == 1 ? 0 : Partitioner.partition(d.streamId(), n), p -> new ArrayList<>()).add(d);
        }
        DeadLetterRetry.Report report = new DeadLetterRetry.Report();
        List<DeadLetterRetry.Request> requests = new ArrayList<>();
        AsyncProjection current = run;
        for (Map.Entry<Integer, List<DeadLetter>> e : byPartition.entrySet()) {
            int p = e.getKey();
            PartitionWorker w = current == null ? null : current.worker(p);
            DeadLetterRetry.Request request = new DeadLetterRetry.Request(e.getValue());
            if (w == null) {
                request.finish("partition " + p + " is not run by this engine (instance " + cluster.instanceId()
                        + "); call retryDeadLetters on the instance that runs it (see projectionStatus)");
            } else {
                w.requestRetry(request);
            }
            requests.add(request);
        }
        try {
            for (DeadLetterRetry.Request r : requests) {
                report.add(r.done().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return report;
        } catch (TimeoutException | InterruptedException e) {
            requests.forEach(DeadLetterRetry.Request::cancel);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new EventSourceException("retrying " + letters.size() + " dead letters of projection " + name()
                    + (e instanceof InterruptedException ? " was interrupted" : " did not finish in time") + "; the"
                    + " partitions stop after the dead letter in hand, the log says what each retried, and the rest stay"
                    + " dead letters: call retryDeadLetters again", e);
        } catch (ExecutionException e) {
            throw new EventSourceException("retrying the dead letters of projection " + name() + " failed: " + e.getCause(),
                    e.getCause());
        }
    }

    /** Wakes the current run's reader if it waits for new events. Cheap: two volatile reads. */
    void nudge() {
        AsyncProjection r = run;
        if (r != null) {
            r.nudge();
        }
    }

    /**
     * Whether the projection has handled every event up to {@code position}: {@link #CAUGHT_UP},
     * {@link #BEHIND} or {@link #FAILED}. Locally ({@code everywhere == false}, or a store without
     * leases) by the progress of the current run, which does not count while it is stopping unless
     * {@code over} (the engine closes); with nothing to run here that is caught up over a store with
     * leases. Everywhere: the partitions this engine runs by their progress, every other one by its
     * stored checkpoint; one stopped by the instance that holds it (its lease's failure) is
     * {@link #FAILED}. A store that does not answer is {@link #BEHIND}.
     */
    int reached(long position, boolean everywhere, boolean over) {
        if (resetting) {
            return BEHIND;
        }
        AsyncProjection r = run;
        if (r != null && r.failed()) {
            return FAILED;
        }
        if (!cluster.shared() || !everywhere) {
            if (r == null) {
                return cluster.shared() ? CAUGHT_UP : BEHIND;
            }
            return r.progress() >= position && (over || !r.getAsBoolean()) ? CAUGHT_UP : BEHIND;
        }
        try {
            Map<Integer, Long> checkpoints = null;
            List<Integer> remoteBehind = new ArrayList<>();
            for (int i = 0, n = options.partitions(); i < n; i++) {
                PartitionWorker w = r == null ? null : r.worker(i);
                if (w != null && !w.lost()) {
                    if (w.progress() < position) {
                        return BEHIND;
                    }
                    continue;
                }
                if (checkpoints == null) {
                    checkpoints = store.loadCheckpoints(name());
                }
                if (checkpoints.getOrDefault(i, -1L) < position) {
                    remoteBehind.add(i);
                }
            }
            if (remoteBehind.isEmpty()) {
                return CAUGHT_UP;
            }
            for (Lease l : cluster.leases().leases(name())) {
                if (l.failure() != null && l.owner() != null && remoteBehind.contains(l.partition())) {
                    return FAILED;    // a free partition's failure is stale: whoever claims it tries it again
                }
            }
            return BEHIND;
        } catch (RuntimeException e) {
            return BEHIND;
        }
    }

    /** The progress of the run here, for messages: the lowest position its partitions handled, or -1 with no run. */
    long progress() {
        AsyncProjection r = run;
        return r == null ? -1 : r.progress();
    }

    /**
     * Appends one status per partition, cluster-wide over a store with leases: a partition this
     * engine runs by its worker, any other by its stored checkpoint and its lease. A store read that
     * fails falls back to what this engine knows (checkpoint -1, its own leases).
     *
     * @param head the log's head, for every entry
     * @param startFailure why the last {@code start()} failed, shown on this projection until it starts; or null
     */
    void status(long head, String startFailure, List<ProjectionStatus> out) {
        int n = options.partitions();
        Map<Integer, Long> checkpoints;
        try {
            checkpoints = store.loadCheckpoints(name());
        } catch (RuntimeException e) {
            checkpoints = null;
        }
        Lease[] leases = null;
        if (cluster.shared()) {
            try {
                leases = new Lease[n];
                for (Lease l : cluster.leases().leases(name())) {
                    if (l.partition() >= 0 && l.partition() < n) {
                        leases[l.partition()] = l;
                    }
                }
            } catch (RuntimeException e) {
                leases = null;
            }
        }
        Lease[] mine = ownedView;
        AsyncProjection r = run;
        String readerFailure = r == null ? null : r.readerFailure();
        for (int i = 0; i < n; i++) {
            PartitionWorker w = r == null ? null : r.worker(i);
            boolean here = w != null && !w.lost();
            long checkpoint = checkpoints == null ? -1 : checkpoints.getOrDefault(i, -1L);
            Lease lease = leases != null ? leases[i] : null;
            String owner;
            Instant expires;
            if (!cluster.shared()) {
                owner = cluster.instanceId();
                expires = null;
            } else if (leases != null) {
                owner = lease == null ? null : lease.owner();
                expires = lease == null || lease.owner() == null ? null : lease.expiresAt();
            } else {
                owner = mine[i] == null ? null : cluster.instanceId();
                expires = mine[i] == null ? null : mine[i].expiresAt();
            }
            String failure;
            if (here) {
                failure = w.failure() != null ? w.failure() : readerFailure;
            } else {
                failure = lease == null || lease.owner() == null ? null : lease.failure();
            }
            if (failure == null && !started && startFailure != null) {
                failure = "not started: start() failed: " + startFailure;
            }
            long position = here ? w.progress() : Math.max(0, checkpoint);
            long dead = Math.max(0, deadLetters.get(i) + (w == null ? 0 : w.deadLetters()));
            out.add(new ProjectionStatus(name(), options.name(), i, position, dead, failure, owner, expires, checkpoint, head));
        }
    }
}
