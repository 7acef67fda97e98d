package dev.eventsource.store.postgres.internal;

import dev.eventsource.ConcurrencyException;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Appends events: one transaction per call, or, with group commit, one transaction for all the
 * appends that arrive while the previous transaction commits. Each append is one statement (see
 * {@link AppendSql}). An append that runs alone (group commit off, or a leader that found only its
 * own request) and fits one statement runs it in auto-commit mode: one round trip. A batch of
 * several appends is a transaction: one JDBC batch plus the commit, two round trips.
 *
 * <p><b>Gap-free positions.</b> Every append statement takes its positions from the one row of the
 * log head table, with an {@code UPDATE} that holds the row's lock until the transaction ends. A
 * concurrent append waits for that lock; PostgreSQL makes a commit visible before it releases the
 * transaction's locks, and in {@code READ COMMITTED} the waiting {@code UPDATE} then continues on the
 * row version the first append committed. So positions increase in commit order: a reader's
 * snapshot always sees a prefix of the positions, and an event that becomes visible later has a
 * larger position than every event visible now. Positions are dense: a rolled-back append also
 * rolls back its counter update, and a rejected one (version mismatch) never updates it.
 *
 * <p><b>Group commit.</b> Because appends are serialized by the log head's row lock anyway, at most
 * one append transaction per process is useful at a time. Callers queue their request; whoever holds
 * {@link #commitLock} (a caller thread, no extra thread) drains the queue and commits every queued
 * request in one transaction, checking each one's expected version in order (a conflicting request
 * is rejected alone, the others commit). Concurrent single-event commits thus share one
 * transaction, one JDBC batch round trip and one WAL flush.
 *
 * <p>Threading: {@link #append} is called by any number of threads. {@link #queue} is lock-free;
 * {@link #commitLock} guards the database work and is only ever taken with {@code tryLock}. A caller
 * queues its request, then either gets the lock and commits batches until its own request is done,
 * or parks. A committed request unparks its owner directly (waiters are not woken through the lock,
 * so they can queue their next request while the next batch commits). A request is completed
 * before the lock holder releases the lock, so a caller that gets the lock and finds its request
 * not done knows it is still queued; after releasing the lock, the holder unparks the owner of the
 * queue's head, which takes over or finds its request done by a leader that will hand off in turn,
 * so no queued request is stranded.
 */
public final class Appender {

    private final DataSource dataSource;
    private final PgNames names;
    private final AppendSql sql;
    private final boolean groupCommit;
    private final int maxBatchEvents;
    private final Runnable beforeCommit;
    private final Runnable afterCommit;
    private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock commitLock = new ReentrantLock();

    /**
     * @param groupCommit whether concurrent appends share transactions
     * @param maxBatchEvents most events one group commit transaction takes from the queue
     * @param notify whether commits send {@code pg_notify} on {@link PgNames#channel()}
     * @param beforeCommit run inside each append transaction just before commit (tests); may be null
     * @param afterCommit run after each transaction that stored events (wakes this process's listeners); quick
     */
    public Appender(DataSource dataSource, PgNames names, boolean groupCommit, int maxBatchEvents, boolean notify,
            Runnable beforeCommit, Runnable afterCommit) {
        this.dataSource = dataSource;
        this.names = names;
        this.sql = new AppendSql(names, notify);
        this.groupCommit = groupCommit;
        this.maxBatchEvents = maxBatchEvents;
        this.beforeCommit = beforeCommit;
        this.afterCommit = afterCommit;
    }

    /** See {@link dev.eventsource.store.AppendEvents#append}. */
    public AppendResult append(String streamType, String streamId, long expectedVersion, List<NewEvent> events) {
        Request r = new Request(streamType, streamId, expectedVersion, List.copyOf(events));
        if (!groupCommit) {
            commit(List.of(r));
            return r.result();
        }
        queue.add(r);
        boolean interrupted = false;                    // the append cannot be abandoned once queued: wait it out
        while (!r.done) {
            if (commitLock.tryLock()) {
                try {
                    while (!r.done) {
                        commit(drain());
                    }
                } finally {
                    commitLock.unlock();
                }
                handOff();
            } else {
                LockSupport.park(this);                 // until committed, or asked to lead by handOff()
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return r.result();
    }

    /** After releasing the lock: whoever waits at the head of the queue takes over (it may find its request done). */
    private void handOff() {
        Request next = queue.peek();
        if (next != null) {
            LockSupport.unpark(next.owner);
        }
    }

    private List<Request> drain() {
        List<Request> batch = new ArrayList<>();
        if (queue.isEmpty()) {
            throw new IllegalStateException("group commit found its own request neither queued nor done");
        }
        int events = 0;
        for (Request r; (r = queue.peek()) != null; ) {
            if (!batch.isEmpty() && events + r.events.size() > maxBatchEvents) {
                break;
            }
            queue.poll();
            batch.add(r);
            events += r.events.size();
        }
        return batch;
    }

    /** Commits the batch and completes every request in it, whatever happens. */
    private void commit(List<Request> batch) {
        Connection connection;
        try {
            connection = Jdbc.connect(dataSource);
        } catch (SQLException e) {
            for (Request r : batch) {
                r.fail(new StoreException(r.describe() + ": cannot get a database connection: " + e.getMessage(), e));
            }
            return;
        }
        try (Connection c = connection) {
            if (batch.size() == 1 && beforeCommit == null && batch.get(0).events.size() <= AppendSql.MAX_ROWS) {
                commitAlone(c, batch.get(0));
            } else {
                commit(c, batch);
            }
        } catch (SQLException e) {
            for (Request r : batch) {
                if (!r.done) {
                    r.fail(new StoreException(r.describe() + ": " + e.getMessage(), e));
                }
            }
        } catch (RuntimeException | Error e) {
            for (Request r : batch) {
                if (!r.done) {
                    r.fail(new StoreException(r.describe() + ": " + e, e));
                }
            }
            throw e;
        }
    }

    /**
     * One request alone, in one round trip: its statement runs in auto-commit mode. The statement is
     * atomic by itself (version check, log head update, insert and {@code pg_notify} commit together
     * or not at all), and its implicit transaction holds the log head's row lock until it commits,
     * exactly like an explicit one, so positions stay in commit order. What differs is a failure in
     * flight: a connection lost during the statement may have lost it before or after the commit.
     */
    private void commitAlone(Connection c, Request r) throws SQLException {
        List<Request> accepted;
        try {
            accepted = insert(c, List.of(r));
        } catch (SQLException e) {
            r.fail(inFlight(e)
                    ? new StoreException(r.describe() + ": the connection failed while the statement ran in auto-commit mode,"
                            + " so the events may or may not be stored: " + e.getMessage(), e)
                    : translate(c, r, e));
            return;
        }
        if (accepted.isEmpty()) {
            rejected(c, r);
            return;
        }
        afterCommit.run();
        r.succeed();
    }

    /** A connection-level failure (class 08) or I/O error: the server may have run the statement. */
    private static boolean inFlight(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08");
    }

    private void commit(Connection c, List<Request> batch) throws SQLException {
        c.setAutoCommit(false);
        try {
            List<Request> accepted;
            try {
                accepted = insert(c, batch);
                if (beforeCommit != null) {
                    beforeCommit.run();
                }
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                if (batch.size() > 1 && isDataError(e)) {
                    // One request's data broke the batch: retry each alone so only the culprit fails.
                    for (Request r : batch) {
                        commit(c, List.of(r));
                    }
                } else {
                    for (Request r : batch) {
                        r.fail(translate(c, r, e));
                    }
                }
                return;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                for (Request r : batch) {
                    r.fail(new StoreException(r.describe() + ": the commit failed, so the events may or may not be stored: "
                            + e.getMessage(), e));
                }
                return;
            }
            if (!accepted.isEmpty()) {
                afterCommit.run();
            }
            for (Request r : accepted) {
                r.succeed();
            }
        } finally {
            c.setAutoCommit(true);
        }
        for (Request r : batch) {
            if (!r.done) {                               // rejected: its expected version did not match
                rejected(c, r);
            }
        }
    }

    /** Fails a request whose statement updated nothing: a version conflict, or a missing log head row. */
    private void rejected(Connection c, Request r) {
        long actual = currentVersion(c, r);
        r.fail(actual == r.expected
                // The version matched, so the log head's UPDATE found no row: someone deleted it.
                ? new StoreException(r.describe() + ": the row of " + names.logHead() + " is missing; restore it with"
                        + " INSERT INTO " + names.logHead() + " (id, position) SELECT true, coalesce(max(position), 0) FROM "
                        + names.events())
                : new ConcurrencyException(r.streamType, r.streamId, r.expected, actual));
    }

    /** Inserts what it can; returns the requests whose version matched, with results set. */
    private List<Request> insert(Connection c, List<Request> batch) throws SQLException {
        List<Request> accepted = new ArrayList<>(batch.size());
        int i = 0;
        while (i < batch.size()) {
            Request first = batch.get(i);
            int rows = first.events.size();
            if (rows > AppendSql.MAX_ROWS) {
                if (insertLarge(c, first)) {
                    accepted.add(first);
                }
                i++;
                continue;
            }
            // A run of same-size requests is one statement or one JDBC batch (one round trip), each request
            // checked in order (each statement sees the ones before it); the generated keys are the
            // positions of the rows inserted.
            int end = i;
            while (end < batch.size() && batch.get(end).events.size() == rows) {
                end++;
            }
            try (PreparedStatement ps = c.prepareStatement(sql.insert(rows), AppendSql.RETURNING)) {
                int[] counts;
                if (end - i == 1) {
                    sql.bind(ps, first.streamType, first.streamId, first.expected, first.events, 0, rows);
                    counts = new int[] {ps.executeUpdate()};
                } else {
                    for (int k = i; k < end; k++) {
                        Request r = batch.get(k);
                        sql.bind(ps, r.streamType, r.streamId, r.expected, r.events, 0, rows);
                        ps.addBatch();
                    }
                    counts = ps.executeBatch();
                }
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    for (int k = i; k < end; k++) {
                        if (counts[k - i] == rows) {
                            Request r = batch.get(k);
                            long firstPosition = Long.MAX_VALUE;
                            long lastPosition = Long.MIN_VALUE;
                            for (int n = 0; n < rows; n++) {       // contiguous positions, whatever order they come in
                                long position = nextKey(keys, r);
                                firstPosition = Math.min(firstPosition, position);
                                lastPosition = Math.max(lastPosition, position);
                            }
                            r.result = new AppendResult(r.expected + rows, firstPosition, lastPosition);
                            accepted.add(r);
                        }
                    }
                }
            }
            i = end;
        }
        return accepted;
    }

    private static long nextKey(ResultSet keys, Request r) throws SQLException {
        if (!keys.next()) {
            throw new SQLException("the database returned fewer positions than rows inserted for " + r.describe(), "XX000");
        }
        return keys.getLong(1);
    }

    /** A request too big for one statement, in chunks; later chunks run only if the first matched. */
    private boolean insertLarge(Connection c, Request r) throws SQLException {
        long firstPosition = Long.MAX_VALUE;
        long lastPosition = Long.MIN_VALUE;
        for (int from = 0; from < r.events.size(); from += AppendSql.MAX_ROWS) {
            int rows = Math.min(AppendSql.MAX_ROWS, r.events.size() - from);
            try (PreparedStatement ps = c.prepareStatement(sql.insert(rows), AppendSql.RETURNING)) {
                sql.bind(ps, r.streamType, r.streamId, r.expected + from, r.events, from, rows);
                int count = ps.executeUpdate();
                if (count != rows) {
                    if (from == 0) {
                        return false;
                    }
                    throw new SQLException("chunk at version " + (r.expected + from) + " of " + r.describe()
                            + " did not match although the log head was locked", "XX000");
                }
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    for (int n = 0; n < rows; n++) {
                        long position = nextKey(keys, r);
                        firstPosition = Math.min(firstPosition, position);
                        lastPosition = Math.max(lastPosition, position);
                    }
                }
            }
        }
        r.result = new AppendResult(r.expected + r.events.size(), firstPosition, lastPosition);
        return true;
    }

    private RuntimeException translate(Connection c, Request r, SQLException e) {
        String message = String.valueOf(e.getMessage());
        if ("23505".equals(e.getSQLState()) && message.contains(names.local("events_stream_version_key"))) {
            // Only a writer that bypasses the append lock gets here; the unique key is the last line of defence.
            return new ConcurrencyException(r.streamType, r.streamId, r.expected, currentVersion(c, r), "unique key violation");
        }
        if ("23505".equals(e.getSQLState()) && message.contains(names.local("events_event_id_key"))) {
            return new StoreException(r.describe() + ": an event id of the batch is already stored (" + message + ")", e);
        }
        return new StoreException(r.describe() + ": " + message, e);
    }

    /** The stream's version now (autocommit), or -1 if that cannot be read either. */
    private long currentVersion(Connection c, Request r) {
        try (PreparedStatement ps = c.prepareStatement(sql.streamVersion)) {
            ps.setString(1, r.streamType);
            ps.setString(2, r.streamId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    private static void rollbackQuietly(Connection c, SQLException cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Integrity (23) and data (22) errors come from one request's values, not from the database's state. */
    private static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("23") || state.startsWith("22"));
    }

    /** One caller's append, completed exactly once by whichever thread commits it. */
    private static final class Request {
        final String streamType;
        final String streamId;
        final long expected;
        final List<NewEvent> events;
        final Thread owner = Thread.currentThread();
        AppendResult result;
        RuntimeException failure;
        volatile boolean done;

        Request(String streamType, String streamId, long expected, List<NewEvent> events) {
            this.streamType = streamType;
            this.streamId = streamId;
            this.expected = expected;
            this.events = events;
        }

        void succeed() {
            done = true;
            LockSupport.unpark(owner);
        }

        void fail(RuntimeException e) {
            failure = e;
            result = null;
            done = true;
            LockSupport.unpark(owner);
        }

        AppendResult result() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }

        String describe() {
            return "cannot append " + events.size() + (events.size() == 1 ? " event" : " events") + " to " + streamType + "/"
                    + streamId + " at version " + expected;
        }
    }
}
