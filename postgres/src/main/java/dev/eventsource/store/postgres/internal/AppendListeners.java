package dev.eventsource.store.postgres.internal;

import dev.eventsource.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes {@code onAppend} listeners when events are committed, by any process. A daemon thread holds
 * one connection from the store's {@link DataSource}, runs {@code LISTEN} on the store's channel and
 * waits for the {@code pg_notify} every append transaction sends. Without the PostgreSQL driver's
 * API (another driver, or a pool that cannot unwrap to it) it polls the head position instead.
 * Commits of this process also {@link #signal} directly, so local readers wake without waiting for
 * the server's round trip.
 *
 * <p>When the connection breaks (database restart, network), the thread logs once, calls the
 * listeners (they may have missed a notification, so they should look), and reconnects with
 * backoff up to the poll interval, until it succeeds or the store is closed.
 *
 * <p>The first {@link #add} opens the listener's connection on the caller's thread, so a database
 * that is unreachable fails it at once, and then checks that the {@link DataSource} can still hand
 * out a second connection within {@link #SECOND_CONNECTION_WAIT}: the listener keeps its connection
 * for good, so a pool of one would leave nothing for the readers, checkpoints and appends, and they
 * would wait forever. A busy pool passes, since any connection handed back within the wait will do.
 *
 * <p>Threading: {@link #add}, {@link #signal} and {@link #close} are called by any thread. Listeners
 * run on one dispatcher thread ({@code eventsource-pg-dispatch-<channel>}), never concurrently; the
 * listener thread ({@code eventsource-pg-listener-<channel>}) and local commits only set
 * {@link #pending} and unpark it, so wake-ups that arrive together are coalesced. Both threads are
 * started by the first {@link #add}, which holds {@code this} while it checks the pool (a
 * {@link #close} meanwhile waits for it); the check borrows its connection on a short-lived thread
 * ({@code eventsource-pg-probe-<channel>}) so that a data source without a timeout cannot block it.
 * {@link #listeners} is a copy-on-write list; the thread fields are guarded by {@code this} (and
 * volatile for {@link #signal}).
 */
public final class AppendListeners implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppendListeners.class);

    /** Longest single wait for notifications, so {@link #close} returns promptly. */
    private static final int MAX_WAIT_MILLIS = 200;

    /** How long the first {@link #add} waits for a second connection while the listener holds one. */
    static final Duration SECOND_CONNECTION_WAIT = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final ThreadFactory threads;
    private final PgNames names;
    private final boolean useNotifications;
    private final int pollMillis;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean running = true;
    private Thread thread;
    private volatile Thread dispatcher;

    /**
     * Listeners for the store's appends.
     *
     * @param useNotifications {@code LISTEN} when possible; {@code false} always polls
     * @param pollInterval bounds notification waits, polls and reconnect backoff
     */
    public AppendListeners(DataSource dataSource, PgNames names, boolean useNotifications, Duration pollInterval,
            ThreadFactory threads) {
        this.threads = threads;
        this.dataSource = dataSource;
        this.names = names;
        this.useNotifications = useNotifications;
        this.pollMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, pollInterval.toMillis()));
    }

    /**
     * Registers a listener, starting the listener thread if needed; closing the handle unregisters it.
     *
     * @throws StoreException if this is the first listener and the listener's connection cannot be
     *     opened (the listener is then not registered; a later call tries again)
     * @throws IllegalStateException if the store is closed, or if this is the first listener and the
     *     data source hands out no second connection while the listener holds one (a pool of one)
     */
    public AutoCloseable add(Runnable listener) {
        synchronized (this) {
            if (!running) {
                throw new IllegalStateException("the PostgreSQL store for " + names.events() + " is closed");
            }
            if (thread == null) {
                Connection held = openListenerConnection();
                Thread d = newThread("eventsource-pg-dispatch-" + names.channel(), this::dispatch);
                d.start();
                dispatcher = d;
                thread = newThread("eventsource-pg-listener-" + names.channel(), () -> run(held));
                thread.start();
            }
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    /** A daemon thread from the store's thread factory, named as the class comment says. */
    private Thread newThread(String name, Runnable body) {
        Thread t = threads.newThread(body);
        if (t == null) {
            throw new IllegalStateException("the thread factory " + threads + " of the PostgreSQL store for " + names.events()
                    + " returned no thread for " + name);
        }
        t.setName(name);
        if (!t.isDaemon()) {
            t.setDaemon(true);
        }
        return t;
    }

    /** The listener thread's first connection, once a second one proved to be available. */
    private Connection openListenerConnection() {
        Connection held;
        try {
            held = Jdbc.connect(dataSource);
        } catch (SQLException e) {
            throw new StoreException("cannot open the connection that listens for appends to " + names.events() + ": "
                    + e.getMessage(), e);
        }
        try {
            requireSecondConnection();
            return held;
        } catch (RuntimeException e) {
            closeQuietly(held, e);
            throw e;
        }
    }

    /**
     * Borrows and returns one more connection, retrying until {@link #SECOND_CONNECTION_WAIT} is up.
     *
     * @throws IllegalStateException if none was handed out in time
     */
    private void requireSecondConnection() {
        long waitNanos = SECOND_CONNECTION_WAIT.toNanos();
        long deadline = System.nanoTime() + waitNanos;
        Throwable last = null;
        for (long left = waitNanos; left > 0; left = deadline - System.nanoTime()) {
            CompletableFuture<Connection> borrowed = new CompletableFuture<>();
            Thread probe = newThread("eventsource-pg-probe-" + names.channel(), () -> {
                try {
                    borrowed.complete(dataSource.getConnection());
                } catch (Throwable t) {
                    borrowed.completeExceptionally(t);
                }
            });
            probe.start();
            try {
                closeQuietly(borrowed.get(left, TimeUnit.NANOSECONDS), null);
                return;
            } catch (ExecutionException e) {
                last = e.getCause();
                LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(100), Math.max(0, deadline - System.nanoTime())));
            } catch (TimeoutException e) {
                borrowed.thenAccept(late -> closeQuietly(late, null));   // handed out after all: give it back
                break;
            } catch (InterruptedException e) {
                borrowed.thenAccept(late -> closeQuietly(late, null));
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while checking that the pool can serve more than the listener for"
                        + " appends to " + names.events(), e);
            }
        }
        throw new IllegalStateException("the DataSource handed out no second connection within "
                + SECOND_CONNECTION_WAIT.toSeconds() + " s while the listener for appends to " + names.events()
                + " holds one" + (last == null ? "" : " (last attempt: " + last.getMessage() + ")")
                + "; asynchronous projections need at least 2 connections (1 held for LISTEN + 1 for reading the log,"
                + " saving checkpoints and appending): configure the pool with at least 2, better 2 + the number of"
                + " projection partitions");
    }

    private static void closeQuietly(Connection c, Throwable failure) {
        try {
            c.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                LOG.debug("cannot return a connection to the pool", e);
            }
        }
    }

    /** Asks the dispatcher to run the listeners soon (coalesced with other requests); cheap, never blocks. */
    public void signal() {
        Thread d = dispatcher;
        if (d != null) {
            pending.set(true);
            LockSupport.unpark(d);
        }
    }

    /** Stops the listener thread (within about one poll interval) and forgets every listener. Idempotent. */
    @Override
    public void close() {
        Thread t;
        Thread d;
        synchronized (this) {
            running = false;
            t = thread;
            d = dispatcher;
        }
        listeners.clear();
        if (d != null) {
            LockSupport.unpark(d);
        }
        for (Thread each : new Thread[] {t, d}) {
            if (each != null && each != Thread.currentThread()) {
                try {
                    each.join(Math.min(pollMillis, MAX_WAIT_MILLIS) + 5_000L);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void dispatch() {
        while (running) {
            if (pending.getAndSet(false)) {
                fire();
            } else {
                LockSupport.parkNanos(this, MAX_WAIT_MILLIS * 1_000_000L);
            }
        }
    }

    /** The listener thread: listens (or polls) on {@code first}, then on new connections whenever one breaks. */
    private void run(Connection first) {
        boolean driver = useNotifications && driverPresent();
        long backoff = Math.min(50, pollMillis);
        boolean failing = false;
        Connection given = first;
        while (running) {
            Connection opened = given;
            given = null;
            try (Connection c = opened != null ? opened : Jdbc.connect(dataSource)) {
                boolean notifications = driver && PgNotifications.supports(c);
                if (failing) {
                    LOG.info("listening for appends to {} again", names.events());
                    failing = false;
                    backoff = Math.min(50, pollMillis);
                    signal();                            // events may have committed while we were away
                }
                if (notifications) {
                    listen(c);
                } else {
                    poll(c);
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!failing) {
                    LOG.warn("lost the connection listening for appends to {}; reconnecting every {} ms at most: {}",
                            names.events(), pollMillis, e.toString());
                    failing = true;
                }
                signal();
                sleep(backoff);
                backoff = Math.min(pollMillis, backoff * 2);
            }
        }
        if (given != null) {
            closeQuietly(given, null);                   // closed before the thread got to use it
        }
    }

    private void listen(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + names.sql().channel());
        }
        // Commits between add() and this LISTEN sent notifications nobody heard: let listeners look once.
        fire();
        try {
            while (running) {
                if (PgNotifications.await(c, Math.min(pollMillis, MAX_WAIT_MILLIS)) > 0) {
                    signal();
                }
            }
        } finally {
            // The connection goes back to a pool: it must not keep collecting notifications for nobody.
            try (Statement st = c.createStatement()) {
                st.execute("UNLISTEN *");
            } catch (SQLException e) {
                LOG.debug("UNLISTEN failed on a connection that is going away anyway", e);
            }
        }
    }

    private void poll(Connection c) throws SQLException {
        long seen = -1;
        try (Statement st = c.createStatement()) {
            while (running) {
                long head;
                try (ResultSet rs = st.executeQuery(names.headQuery())) {
                    rs.next();
                    head = rs.getLong(1);
                }
                if (head != seen) {
                    seen = head;
                    signal();
                }
                for (long slept = 0; running && slept < pollMillis; slept += MAX_WAIT_MILLIS) {
                    sleep(Math.min(MAX_WAIT_MILLIS, pollMillis - slept));
                }
            }
        }
    }

    private void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.error("an onAppend listener of {} failed: {}", names.events(), listener, e);
            }
        }
    }

    private static boolean driverPresent() {
        try {
            Class<?> api = Class.forName("org.postgresql.PGConnection", false, AppendListeners.class.getClassLoader());
            // In a named module the driver must also be readable: on the class path while this module
            // is on the module path, it is loadable but not usable.
            if (!AppendListeners.class.getModule().canRead(api.getModule())) {
                LOG.info("PostgreSQL driver API {} is not readable from module {} (put the driver on the module"
                        + " path, as org.postgresql.jdbc); onAppend listeners poll the log instead", api.getModule(),
                        AppendListeners.class.getModule().getName());
                return false;
            }
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.info("PostgreSQL driver API not found ({}); onAppend listeners poll the log instead", e.toString());
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
