package dev.eventsource.internal;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Makes the engine's threads with the factory given to {@code Engine.builder().threadFactory(...)}:
 * the factory creates each thread (so it can set a context class loader, an uncaught-exception
 * handler, a thread group, or make virtual threads); the engine then names it as the docs say
 * ({@code eventsource-...}) and makes it a daemon, so an engine never keeps a JVM alive. Also waits
 * for them to end on stop.
 *
 * <pre>{@code
 * Thread t = Threads.newThread(factory, "eventsource-orders-reader", reader);
 * t.start();
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class Threads {

    /** The factory used when none is configured: plain platform threads. */
    public static final ThreadFactory DEFAULT = Thread::new;

    private Threads() {
    }

    /**
     * A new, unstarted thread from {@code factory} running {@code body}, named {@code name}, daemon.
     *
     * @throws IllegalStateException if the factory returns no thread
     */
    public static Thread newThread(ThreadFactory factory, String name, Runnable body) {
        Thread t = factory.newThread(Objects.requireNonNull(body, "body"));
        if (t == null) {
            throw new IllegalStateException("the thread factory " + factory + " returned no thread for " + name);
        }
        t.setName(name);
        if (!t.isDaemon()) {
            t.setDaemon(true);
        }
        return t;
    }

    /**
     * Waits until {@code t} has ended, even when the waiting thread is interrupted meanwhile; that
     * thread's interrupt status is then set again when it returns.
     */
    public static void join(Thread t) {
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
}
