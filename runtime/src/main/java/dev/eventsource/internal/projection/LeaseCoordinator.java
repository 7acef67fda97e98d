package dev.eventsource.internal.projection;

import dev.eventsource.internal.Threads;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The lease thread of one engine ({@code eventsource-leases}), running only when the store shares
 * partitions between instances and there are asynchronous projections: every heartbeat interval (a
 * fifth of the lease timeout) it has each started projection renew its leases and rebalance
 * ({@link ProjectionRunner#tick}). It ticks at once when {@link #wake}d (a worker found its lease
 * lost). When a tick fails (the store is down) it logs through the projection's {@link StoreRetry}
 * and ticks again after that retry's backoff (at most the heartbeat interval): it never ends on a
 * failure, and the engine keeps running its partitions meanwhile; if the store stays away past the
 * lease timeout the leases run out there, the partitions' fenced writes are refused once it is back,
 * and the next tick takes the engine's share again.
 *
 * <p>Threading: {@link #run} is the thread's body; {@link #wake} and {@link #stop} are called by other
 * threads (workers, {@code close}). The projections' own locks serialize a tick with their rebuild
 * and close; this class holds no lock of its own. Elapsed time is {@link System#nanoTime()}; lease
 * expiry is the store's clock.
 *
 * <pre>{@code
 * LeaseCoordinator leases = new LeaseCoordinator(projections::runners, cluster.heartbeatNanos());
 * leases.start(threads);
 * leases.stop();
 * }</pre>
 */
final class LeaseCoordinator implements Runnable {

    private final Supplier<ProjectionRunner[]> runners;
    private final long intervalNanos;
    private volatile boolean stopping;
    private volatile boolean woken;
    private Thread thread;

    /** Ticks the projections {@code runners} lists (read anew each tick) every {@code intervalNanos}. */
    LeaseCoordinator(Supplier<ProjectionRunner[]> runners, long intervalNanos) {
        this.runners = runners;
        this.intervalNanos = intervalNanos;
    }

    /** Starts the thread, made by {@code factory}. */
    void start(ThreadFactory factory) {
        thread = Threads.newThread(factory, "eventsource-leases", this);
        thread.start();
    }

    /** Makes the thread tick now rather than at the next interval. */
    void wake() {
        woken = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Stops the thread and waits for it: it finishes the tick in hand (it is woken, not interrupted,
     * so that no store call of the tick is cut off).
     */
    void stop() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            Threads.join(t);
        }
    }

    @Override
    public void run() {
        int failures = 0;
        while (!stopping) {
            long began = System.nanoTime();
            woken = false;
            boolean ok = true;
            for (ProjectionRunner r : runners.get()) {
                ok &= r.tick();
            }
            failures = ok ? 0 : failures + 1;
            long deadline = began + (ok ? intervalNanos : Math.min(intervalNanos, StoreRetry.delayNanos(failures)));
            for (long left; !stopping && !woken && (left = deadline - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(this, left);
            }
        }
    }
}
