package dev.eventsource.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts commands in progress so {@code close()} can wait for them, without a shared hot counter:
 * each thread counts in its own padded stripe (chosen by thread id), and a command enters and leaves
 * on the same stripe, so every stripe's count is exact.
 *
 * <p>Protocol: a command calls {@link #enter}, then checks whether the engine is closed (and calls
 * {@link #leave} and gives up if so); close marks the engine closed and then {@link #awaitIdle}s.
 * With both sides using volatile (sequentially consistent) accesses, every command that saw "open"
 * is counted when close looks.
 *
 * <pre>{@code
 * int stripe = inFlight.enter();
 * try { if (closing) throw ...; runCommand(); } finally { inFlight.leave(stripe); }
 * }</pre>
 */
public final class InFlight {

    private static final int STRIPES = 32;
    /** 16 longs = 128 bytes between counters: no two stripes share a cache line. */
    private static final int PAD = 16;

    private final AtomicLongArray counts = new AtomicLongArray(STRIPES * PAD);

    /** Marks a command of the current thread as started; returns the stripe to pass to {@link #leave}. */
    public int enter() {
        int stripe = ((int) Thread.currentThread().getId() & (STRIPES - 1)) * PAD;
        counts.incrementAndGet(stripe);
        return stripe;
    }

    /** Marks the command started on {@code stripe} as finished. */
    public void leave(int stripe) {
        counts.decrementAndGet(stripe);
    }

    /** Waits until no command is in progress or the timeout passes; returns whether none is. */
    public boolean awaitIdle(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (int i = 0; i < STRIPES; i++) {
            while (counts.get(i * PAD) != 0) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(100_000);
            }
        }
        return true;
    }
}
