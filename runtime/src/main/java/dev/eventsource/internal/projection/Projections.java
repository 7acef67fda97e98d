package dev.eventsource.internal.projection;

import dev.eventsource.EngineObserver;
import dev.eventsource.EventEnvelope;
import dev.eventsource.EventSourceException;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.StreamOptions;
import dev.eventsource.UnreadableEventsException;
import dev.eventsource.internal.CommitHooks;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.TransactionalCheckpoints;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every projection of one engine: inline ones (run on command threads through {@link CommitHooks})
 * and asynchronous ones (each a {@link ProjectionRunner} with its current {@link AsyncProjection}
 * run), with registration, start, waiting, rebuild, status and shutdown; over a store with
 * {@link dev.eventsource.store.PartitionLeases}, also the engine's lease thread
 * ({@link LeaseCoordinator}).
 *
 * <p>Threading: the projection lists are copy-on-write arrays in volatile fields, read without
 * locks by command threads and the lease thread; registration, start, rebuild and close are
 * serialized by this object's monitor (the lease thread never takes it: it takes each runner's lock,
 * which is always taken after this monitor, never before). Inline delivery of one stream is ordered
 * by a striped lock held from append to delivery. Waiters ({@link #await}, a rebuild catching up)
 * follow a projection by its runner, whose run a rebuild or an ownership change replaces while they
 * wait.
 *
 * <pre>{@code
 * Projections projections = new Projections(store, Clock.systemUTC(), Threads.DEFAULT,
 *         new Cluster("web-1:4711", null, Duration.ofSeconds(10)));
 * projections.register(target, StreamOptions.named("orders"));
 * projections.start();
 * projections.await(5, TimeUnit.SECONDS);
 * }</pre>
 */
public final class Projections implements CommitHooks {

    private static final Logger LOG = LoggerFactory.getLogger(Projections.class);
    private static final int ORDER_STRIPES = 64;
    private static final int REPLAY_BATCH = 1_000;

    private final EventStore store;
    private final Clock clock;
    private final ThreadFactory threads;
    private final Cluster cluster;
    private final EngineObserver observer;
    private final ReentrantLock[] orderLocks = new ReentrantLock[ORDER_STRIPES];
    private volatile InlineProjection[] inline = new InlineProjection[0];
    private volatile ProjectionRunner[] async = new ProjectionRunner[0];
    private volatile long committedHead;
    /** Set by {@link #close} before it stops the projections, so waiters can tell a stop for good from a rebuild's swap. */
    private volatile boolean closed;
    /** Set once a {@link #start} succeeded; registrations after it start their projection at once. */
    private volatile boolean started;
    /** Why the last {@link #start} failed, shown in {@link #status} until a start succeeds; else null. */
    private volatile String startFailure;
    private AutoCloseable appendListener;
    /** The lease thread, once started (a store with leases and an asynchronous projection); else null. */
    private volatile LeaseCoordinator leases;

    /**
     * Projections fed from {@code store}, stamping dead letters with {@code clock}, their threads
     * made by {@code threads}, this engine being {@code cluster}'s instance, telling {@code observer}
     * of each batch a partition handles.
     */
    public Projections(EventStore store, Clock clock, ThreadFactory threads, Cluster cluster, EngineObserver observer) {
        this.store = store;
        this.observer = observer;
        this.clock = clock;
        this.threads = threads;
        this.cluster = cluster;
        for (int i = 0; i < ORDER_STRIPES; i++) {
            orderLocks[i] = new ReentrantLock();
        }
    }

    /**
     * Registers a projection: inline when {@code options} is null, else asynchronous (started at
     * once if the engine runs already).
     *
     * @throws IllegalArgumentException if the name or the instance is registered already, or an
     *     inline projection is transactional
     * @throws IllegalStateException if the store cannot run a transactional projection
     * @throws EventSourceException if the engine runs already and the projection cannot start (it
     *     is then not registered)
     */
    public synchronized void register(Target target, StreamOptions options) {
        for (InlineProjection p : inline) {
            checkDistinct(p.target, target);
        }
        for (ProjectionRunner p : async) {
            checkDistinct(p.target(), target);
        }
        if (options == null) {
            if (target.transactional()) {
                throw new IllegalArgumentException("transactional projection " + target.name() + " cannot run inline:"
                        + " register it with StreamOptions, e.g. StreamOptions.named(\"" + target.name() + "\")");
            }
            InlineProjection[] next = Arrays.copyOf(inline, inline.length + 1);
            next[inline.length] = new InlineProjection(target, store, clock);
            inline = next;
            return;
        }
        ProjectionRunner projection = new ProjectionRunner(target, options, store, transactionsFor(target), this::head, clock,
                threads, cluster, this::wakeLeases, observer);
        ProjectionRunner[] before = async;
        ProjectionRunner[] next = Arrays.copyOf(before, before.length + 1);
        next[before.length] = projection;
        async = next;
        if (started) {
            try {
                listenForAppends();
                startLeases();
                projection.start();
            } catch (RuntimeException e) {
                async = before;                         // not registered: the caller may register it again
                throw failure("cannot start projection " + target.name() + " on stream " + options.name()
                        + ", so it is not registered: " + e.getMessage(), e);
            }
        }
    }

    private static void checkDistinct(Target existing, Target added) {
        if (existing.instance() == added.instance()) {
            throw new IllegalArgumentException("projection " + added.name() + " (" + added.instance().getClass().getName()
                    + ") is registered already");
        }
        if (existing.name().equals(added.name())) {
            throw new IllegalArgumentException("a projection named '" + added.name() + "' is registered already ("
                    + existing.instance().getClass().getName() + "); projection names key their checkpoints and must be"
                    + " unique: give one a different name");
        }
    }

    private TransactionalCheckpoints transactionsFor(Target target) {
        if (!target.transactional()) {
            return null;
        }
        if (!(store instanceof TransactionalCheckpoints transactions)) {
            throw new IllegalStateException("transactional projection " + target.name() + " needs a store with"
                    + " transactions (TransactionalCheckpoints, e.g. PostgresStore), but " + store.getClass().getName()
                    + " has none; make it a plain Projection or use such a store");
        }
        return transactions;
    }

    /**
     * Runs {@code preflight} (the engine's check of the stored event types), then listens for appends
     * and starts every asynchronous projection not started yet. Idempotent, and
     * retryable: when a step fails (the store is unreachable, say) it throws and nothing counts as
     * started, so the next call starts whatever is left; projections registered in between are
     * started by it too. Until then {@link #status} shows the failure on every projection not
     * started.
     *
     * @throws UnreadableEventsException as {@code preflight} threw it
     * @throws EventSourceException (or {@link IllegalStateException} for a configuration the store
     *     cannot run) naming the step that failed; the cause is the store's exception
     */
    public synchronized void start(Runnable preflight) {
        if (started) {
            return;
        }
        String step = "read the event types stored";
        try {
            preflight.run();
            step = "subscribe to the store's appends";
            listenForAppends();
            startLeases();
            for (ProjectionRunner p : async) {
                step = "start projection " + p.target().name() + " on stream " + p.options().name();
                p.start();
            }
        } catch (UnreadableEventsException e) {
            startFailure = "refused: the store holds " + e.unreadable() + ", which this build cannot read";
            throw e;
        } catch (RuntimeException e) {
            startFailure = "cannot " + step + ": " + e.getMessage();
            String message = "engine start failed: " + startFailure + "; asynchronous projections not started: "
                    + notStarted() + "; call start() again once the cause is fixed";
            throw failure(message, e);
        }
        started = true;
        startFailure = null;
    }

    /** Wraps a failure to start with context, keeping an {@link IllegalStateException} (a setup the store cannot run) one. */
    private static RuntimeException failure(String message, RuntimeException cause) {
        return cause instanceof IllegalStateException ? new IllegalStateException(message, cause)
                : new EventSourceException(message, cause);
    }

    private List<String> notStarted() {
        List<String> names = new ArrayList<>();
        for (ProjectionRunner p : async) {
            if (!p.started()) {
                names.add(p.target().name());
            }
        }
        return names;
    }

    /**
     * Subscribes to the store's append notifications once there is an asynchronous projection to
     * wake: a store may hold a connection and threads for a subscription (PostgreSQL does), which
     * inline-only engines should not pay for. Called with this object's monitor held, by a start or,
     * after a successful start, by a registration.
     */
    private void listenForAppends() {
        if (appendListener == null && async.length > 0) {
            appendListener = store.onAppend(this::nudgeAll);
        }
    }

    /**
     * Starts the lease thread once there is an asynchronous projection over a store with leases; it
     * ticks only the projections started. Called with this object's monitor held, before the
     * projections start, so that one whose start succeeded keeps its leases even if another's fails.
     */
    private void startLeases() {
        if (leases == null && cluster.shared() && async.length > 0) {
            LeaseCoordinator coordinator = new LeaseCoordinator(this::runners, cluster.heartbeatNanos());
            coordinator.start(threads);
            leases = coordinator;
        }
    }

    private ProjectionRunner[] runners() {
        return async;
    }

    private void wakeLeases() {
        LeaseCoordinator coordinator = leases;
        if (coordinator != null) {
            coordinator.wake();
        }
    }

    private long head() {
        return committedHead;
    }

    private void nudgeAll() {
        for (ProjectionRunner p : async) {
            p.nudge();
        }
    }

    @Override
    public Lock orderLock(String streamId) {
        return inline.length == 0 ? null : orderLocks[Partitioner.partition(streamId, ORDER_STRIPES)];
    }

    @Override
    public void committed(String streamType, String streamId, long firstVersion, List<Object> events, List<NewEvent> batch,
            AppendResult result) {
        InlineProjection[] in = inline;
        if (in.length > 0) {
            deliverInline(in, streamType, streamId, firstVersion, events, batch, result);
        }
        ProjectionRunner[] out = async;
        if (out.length > 0) {
            long last = result.lastPosition();
            if (last > committedHead) {
                committedHead = last;
            }
            for (ProjectionRunner p : out) {
                p.nudge();
            }
        }
    }

    private void deliverInline(InlineProjection[] in, String streamType, String streamId, long firstVersion,
            List<Object> events, List<NewEvent> batch, AppendResult result) {
        int n = events.size();
        long[] positions = positions(streamType, streamId, firstVersion, n, result);
        for (int i = 0; i < n; i++) {
            NewEvent stored = batch.get(i);
            EventEnvelope<Object> envelope = null;
            for (InlineProjection p : in) {
                if (p.wants(stored.eventType())) {
                    if (envelope == null) {
                        envelope = new EventEnvelope<>(events.get(i), stored.eventType(), streamType, streamId,
                                firstVersion + i, positions == null ? result.firstPosition() + i : positions[i],
                                stored.eventId(), stored.timestamp(), stored.metadata());
                    }
                    p.deliver(envelope);
                }
            }
        }
    }

    /** Null when positions are contiguous (the usual case); else the positions read back from the store. */
    private long[] positions(String streamType, String streamId, long firstVersion, int n, AppendResult result) {
        if (result.lastPosition() - result.firstPosition() == n - 1) {
            return null;
        }
        long[] positions = new long[n];
        store.readStream(streamType, streamId, firstVersion - 1, e -> {
            long i = e.version() - firstVersion;
            if (i >= 0 && i < n) {
                positions[(int) i] = e.globalPosition();
            }
        });
        return positions;
    }

    /**
     * Waits until every asynchronous projection has handled every event committed when the call
     * began; false on timeout or when a partition stopped on a failure. Over a store with leases this
     * is cluster-wide: every partition, wherever it runs, judged by this engine's progress for the
     * partitions it runs and by the stored checkpoints for the others (see
     * {@link ProjectionRunner#reached}).
     *
     * @throws IllegalStateException if no {@link #start} succeeded yet: nothing would ever catch up
     */
    public boolean await(long timeout, TimeUnit unit) {
        if (!started) {
            String failure = startFailure;
            throw new IllegalStateException("engine not started: call start() before awaitProjections"
                    + (failure == null ? "" : " (the last start() failed: " + failure + ")"));
        }
        long start = System.nanoTime();
        long timeoutNanos = unit.toNanos(timeout);
        long target = store.headPosition();
        for (ProjectionRunner p : async) {
            if (!awaitPosition(p, target, start, timeoutNanos, true)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until {@code projection} (whichever run runs it: a rebuild or an ownership change swaps
     * it) has handled everything up to {@code position}, cluster-wide if {@code everywhere}, else only
     * the partitions this engine runs. A run being stopped for a rebuild does not count as caught up
     * (its read model is being reset), so the wait goes on with its successor. Polls with a pause
     * that grows to 2 ms, or 50 ms while it reads stored checkpoints.
     *
     * @return false on timeout, when a partition stopped on a failure, or when the projections
     *     were closed before it caught up
     */
    private boolean awaitPosition(ProjectionRunner projection, long position, long start, long timeoutNanos,
            boolean everywhere) {
        long pause = 20_000;
        long maxPause = cluster.shared() && everywhere ? 50_000_000 : 2_000_000;
        while (true) {
            boolean over = closed;
            int reached = projection.reached(position, everywhere, over);
            if (reached == ProjectionRunner.CAUGHT_UP) {
                return true;
            }
            if (over || reached == ProjectionRunner.FAILED || System.nanoTime() - start > timeoutNanos) {
                return false;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, maxPause);
        }
    }

    /**
     * Rebuilds a projection: pauses it, calls its reset, forgets its checkpoints, replays the whole
     * log into it at full speed and returns once it caught up with the log as it was when the call
     * began; afterwards it continues live. An inline projection is rebuilt while commands wait. Over a
     * store with leases the reset revokes every instance's leases of the projection, so every
     * partition replays on whichever instance claims it, and the wait is cluster-wide.
     *
     * @throws IllegalArgumentException if {@code instance} is not registered or cannot be reset
     */
    public void rebuild(Object instance) {
        InlineProjection in = null;
        for (InlineProjection p : inline) {
            if (p.target.instance() == instance) {
                in = p;
            }
        }
        if (in != null) {
            requireResettable(in.target);
            rebuildInline(in);
            return;
        }
        ProjectionRunner rebuilt;
        long target;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("engine is closed: cannot rebuild " + instance.getClass().getName());
            }
            rebuilt = runnerOf(instance);
            requireResettable(rebuilt.target());
            target = store.headPosition();
            rebuilt.rebuild();
            if (!started) {
                return;
            }
        }
        LOG.info("projection {}: replaying the log up to position {}", rebuilt.target().name(), target);
        if (!awaitPosition(rebuilt, target, System.nanoTime(), Long.MAX_VALUE, true)) {
            String why = closed ? "the engine was closed; the replay resumes from its checkpoints on the next start"
                    : "a partition stopped: " + statusOf(rebuilt);
            throw new EventSourceException("rebuild of projection " + rebuilt.target().name() + " stopped before it caught"
                    + " up with position " + target + ": " + why);
        }
    }

    private ProjectionRunner runnerOf(Object instance) {
        for (ProjectionRunner p : async) {
            if (p.target().instance() == instance) {
                return p;
            }
        }
        throw notRegistered("rebuild", instance);
    }

    private static IllegalArgumentException notRegistered(String action, Object instance) {
        return new IllegalArgumentException("cannot " + action + " " + instance.getClass().getName() + ": it is not a"
                + " registered projection of this engine (pass the same instance you registered)");
    }

    /**
     * Retries the dead letters of a registered projection that this engine runs: an asynchronous
     * one's on the partition threads of the partitions it owns now (see
     * {@link ProjectionRunner#retryDeadLetters}), an inline one's on the caller's thread while
     * commands wait (every order lock held). Logs what was retried, what failed again and what was
     * not retried, and why.
     *
     * @return how many dead letters were retried successfully and deleted
     * @throws IllegalStateException before a successful {@link #start} or after {@link #close}
     * @throws IllegalArgumentException if {@code instance} is not registered
     * @throws EventSourceException if it did not finish within the timeout
     */
    public int retryDeadLetters(Object instance, long timeout, TimeUnit unit) {
        String what = "retry the dead letters of " + instance.getClass().getName();
        if (closed) {
            throw new IllegalStateException("engine is closed: cannot " + what);
        }
        if (!started) {
            throw new IllegalStateException("engine not started: call start() before retryDeadLetters, cannot " + what);
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (InlineProjection p : inline) {
            if (p.target.instance() == instance) {
                return retryInline(p, deadline);
            }
        }
        for (ProjectionRunner p : async) {
            if (p.target().instance() == instance) {
                List<DeadLetter> letters = store.loadDeadLetters(p.target().name());
                return letters.isEmpty() ? 0 : logged(p.target().name(), letters.size(), p.retryDeadLetters(letters, deadline));
            }
        }
        throw notRegistered("retry the dead letters of", instance);
    }

    /** Retries an inline projection's dead letters on this thread, holding every order lock (commands wait). */
    private int retryInline(InlineProjection projection, long deadline) {
        String name = projection.target.name();
        List<DeadLetter> letters = store.loadDeadLetters(name);
        if (letters.isEmpty()) {
            return 0;
        }
        for (ReentrantLock lock : orderLocks) {
            lock.lock();
        }
        try {
            DeadLetterRetry.Request request = new DeadLetterRetry.Request(letters);
            try {
                projection.retry(store, deadline, () -> closed).serve(request, Long.MAX_VALUE, projection::retried);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                request.finish("the calling thread was interrupted");
            } catch (StoreRetry.StopSignal e) {
                request.finish("the store did not answer before the timeout (or the engine closed)");
            }
            return logged(name, letters.size(), request.done().join());
        } finally {
            for (int i = ORDER_STRIPES - 1; i >= 0; i--) {
                orderLocks[i].unlock();
            }
        }
    }

    private static int logged(String projection, int letters, DeadLetterRetry.Report report) {
        if (report.failures().isEmpty() && report.skipped().isEmpty()) {
            LOG.info("projection {}: retried all its {} dead letters successfully", projection, letters);
        } else {
            LOG.warn("projection {}: retried {} of its {} dead letters successfully; {} failed again and stay dead letters"
                    + " {}; {} were not retried {}", projection, report.retriedCount(), letters, report.failures().size(),
                    report.failures(), report.skipped().size(), report.skipped());
        }
        return report.retriedCount();
    }

    private static void requireResettable(Target target) {
        if (!target.resettable()) {
            throw new IllegalArgumentException("projection " + target.name() + " cannot be rebuilt: it has no way to forget"
                    + " its state; implement dev.eventsource.Resettable");
        }
    }

    private void rebuildInline(InlineProjection projection) {
        for (ReentrantLock lock : orderLocks) {
            lock.lock();
        }
        try {
            List<DeadLetter> stale = store.loadDeadLetters(projection.target.name());
            try {
                projection.target.reset(null);
            } catch (Exception e) {
                throw new EventSourceException("cannot reset projection " + projection.target.name() + " for a rebuild", e);
            }
            DeadLetterRetry.dropStale(store, projection.target.name(), stale);
            long position = 0;
            for (List<StoredEvent> batch; !(batch = store.readLog(position, REPLAY_BATCH)).isEmpty(); ) {
                for (StoredEvent e : batch) {
                    projection.replay(e);
                }
                position = batch.get(batch.size() - 1).globalPosition();
            }
        } finally {
            for (int i = ORDER_STRIPES - 1; i >= 0; i--) {
                orderLocks[i].unlock();
            }
        }
    }
    /**
     * Lets the asynchronous projections catch up with the log (until the deadline): the partitions
     * this engine runs, not those of other instances. Then stops the lease thread and the
     * projections (each worker saves its checkpoint) and, over a store with leases, leaves: every
     * partition is free for the other instances at once.
     *
     * @return the names of projections that did not catch up in time
     */
    public synchronized List<String> close(long timeout, TimeUnit unit) {
        long start = System.nanoTime();
        long timeoutNanos = unit.toNanos(timeout);
        List<String> behind = new ArrayList<>();
        long target = -1;
        try {
            target = store.headPosition();
        } catch (RuntimeException e) {
            // The store is unreachable: nothing can be drained, but close must still stop every thread.
            // Nothing is lost: what was not handled stays in the store, after the checkpoints.
            LOG.warn("engine close: cannot read the head of the log to let projections catch up; stopping them where"
                    + " they are", e);
        }
        for (ProjectionRunner p : async) {
            if (started && (target < 0 || !awaitPosition(p, target, start, timeoutNanos, false))) {
                behind.add(p.target().name() + " at " + p.progress() + (target < 0 ? "" : " of " + target));
            }
        }
        closed = true;
        LeaseCoordinator coordinator = leases;
        if (coordinator != null) {
            coordinator.stop();
        }
        for (ProjectionRunner p : async) {
            p.close();
        }
        if (appendListener != null) {
            try {
                appendListener.close();
            } catch (Exception e) {
                LOG.warn("cannot unregister the engine's append listener from {}", store, e);
            }
        }
        return behind;
    }

    /**
     * Status of every projection: one entry per inline projection, one per partition of the others
     * (every partition, wherever it runs, over a store with leases). After a failed {@link #start},
     * each partition of a projection not started says so in its failure
     * ({@code "not started: start() failed: ..."}) until a start succeeds. Reads the store (head,
     * checkpoints, leases); what it cannot read falls back to what this engine knows.
     */
    public List<ProjectionStatus> status() {
        List<ProjectionStatus> out = new ArrayList<>();
        InlineProjection[] in = inline;
        ProjectionRunner[] runners = async;
        if (in.length == 0 && runners.length == 0) {
            return out;
        }
        long head = headOrKnown();
        for (InlineProjection p : in) {
            out.add(p.status(cluster.instanceId(), head));
        }
        String failure = startFailure;
        for (ProjectionRunner p : runners) {
            p.status(head, failure, out);
        }
        return out;
    }

    private List<ProjectionStatus> statusOf(ProjectionRunner projection) {
        List<ProjectionStatus> out = new ArrayList<>();
        projection.status(headOrKnown(), null, out);
        return out;
    }

    /** The store's head, or the newest position this engine committed if the store does not answer. */
    private long headOrKnown() {
        try {
            return store.headPosition();
        } catch (RuntimeException e) {
            return committedHead;
        }
    }
}
