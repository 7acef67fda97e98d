package dev.eventsource.store.postgres.internal;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.DuplicateCommandException;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoredEventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Appends events: one statement per call, or, with group commit, one statement for all the appends
 * that arrive while the previous one commits. The statement (see {@link AppendSql}) checks each
 * request's expected version, takes positions for the ones that match and inserts their events; it
 * runs in auto-commit mode, so a batch of any size costs one round trip and one WAL flush.
 *
 * <p><b>Gap-free positions.</b> Every append statement takes its positions from the one row of the
 * log head table, with an {@code UPDATE} that holds the row's lock until the transaction ends. A
 * concurrent append waits for that lock; PostgreSQL makes a commit visible before it releases the
 * transaction's locks, and in {@code READ COMMITTED} the waiting {@code UPDATE} then continues on the
 * row version the first append committed. So positions increase in commit order: a reader's
 * snapshot always sees a prefix of the positions, and an event that becomes visible later has a
 * larger position than every event visible now. Positions are dense: a failed append also rolls
 * back its counter update, and a rejected one (version mismatch) takes no positions.
 *
 * <p><b>Group commit.</b> Because appends are serialized by the log head's row lock anyway, at most
 * one append statement per process is useful at a time. Callers queue their request; whoever holds
 * {@link #commitLock} (a caller thread, no extra thread) drains the queue and commits the queued
 * requests, one per stream, in one statement (a request whose version does not match is rejected
 * alone and the others go again without it). Concurrent single-event commits thus share one
 * statement, one round trip, one lock acquisition and one WAL flush. If the statement fails on one
 * request's data (a duplicate event id, say), each request is retried alone so only the culprit
 * fails. Measured: two statements in flight per process (two leaders) did no better than one.
 *
 * <p><b>Stored event types.</b> The first append of a (stream type, event type, version) combination
 * that this process has not seen recorded runs in an explicit transaction: the append statement,
 * then an insert of its new combinations into the event types table, then the commit, so a stored
 * event's combination is never missing, crash or not. The combinations are then kept in
 * {@link #recorded}, and every later append of them is the one auto-commit statement as before.
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
     * Combinations known to be in the event types table (committed), as stream type -> event type ->
     * versions, so the check of an append of known ones allocates nothing; only ever grows.
     */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Set<Integer>>> recorded = new ConcurrentHashMap<>();
    private final String recordTypesSql;

    /**
     * @param groupCommit whether concurrent appends share statements
     * @param maxBatchEvents most events one group commit statement takes from the queue
     * @param notify whether commits send {@code pg_notify} on {@link PgNames#channel()}
     * @param beforeCommit run inside each append transaction just before commit (tests; the statement then runs in an
     *     explicit transaction); may be null
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
        this.recordTypesSql = "INSERT INTO " + names.sql().eventTypes() + " (stream_type, event_type, event_version)"
                + " SELECT * FROM unnest(?::text[], ?::text[], ?::integer[]) ON CONFLICT DO NOTHING";
    }

    /** Notes combinations read from the event types table: appends of them need not record them again. */
    public void recorded(Set<StoredEventType> committed) {
        for (StoredEventType t : committed) {
            recorded.computeIfAbsent(t.streamType(), k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(t.eventType(), k -> ConcurrentHashMap.newKeySet()).add(t.eventVersion());
        }
    }

    private boolean isRecorded(String streamType, NewEvent e) {
        Map<String, Set<Integer>> ofType = recorded.get(streamType);
        Set<Integer> versions = ofType == null ? null : ofType.get(e.eventType());
        return versions != null && versions.contains(e.eventVersion());
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

    /**
     * Takes the queue's head and what follows it, in order, up to {@link #maxBatchEvents} events, and
     * stops before a request to a stream already in the batch: the batch's statement checks every
     * request against the state before it, so a second request to a stream waits for the next batch,
     * where it sees the first one's outcome.
     */
    private List<Request> drain() {
        List<Request> batch = new ArrayList<>();
        if (queue.isEmpty()) {
            throw new IllegalStateException("group commit found its own request neither queued nor done");
        }
        int events = 0;
        for (Request r; (r = queue.peek()) != null; ) {
            if (!batch.isEmpty() && (events + r.events.size() > maxBatchEvents || sameStreamIn(batch, r))) {
                break;
            }
            queue.poll();
            batch.add(r);
            events += r.events.size();
        }
        return batch;
    }

    private static boolean sameStreamIn(List<Request> batch, Request r) {
        for (Request b : batch) {
            if (b.streamHash == r.streamHash && b.streamId.equals(r.streamId) && b.streamType.equals(r.streamType)) {
                return true;
            }
        }
        return false;
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
            commit(c, batch);
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
     * Runs the batch's statement: in auto-commit mode (one round trip, the statement is its own
     * transaction), or, when a test hooks in before the commit, in an explicit transaction.
     */
    private void commit(Connection c, List<Request> batch) throws SQLException {
        commit(c, batch, true);
    }

    /** As {@link #commit(Connection, List)}; {@code mayRepair}: whether a log head found behind may be repaired and the batch sent again. */
    private void commit(Connection c, List<Request> batch, boolean mayRepair) throws SQLException {
        boolean recordTypes = anyUnrecorded(batch);
        boolean explicit = beforeCommit != null || recordTypes;
        List<Request> accepted;
        Set<StoredEventType> fresh = Set.of();
        if (explicit) {
            c.setAutoCommit(false);
        }
        try {
            try {
                accepted = insert(c, batch);
                if (recordTypes) {
                    fresh = unrecorded(accepted);
                    recordTypes(c, fresh);
                }
                if (beforeCommit != null) {
                    beforeCommit.run();
                }
            } catch (SQLException e) {
                if (explicit) {
                    rollbackQuietly(c, e);
                    c.setAutoCommit(true);               // before failed() retries requests alone, each as its own transaction
                }
                if (mayRepair && violates(e, "events_pkey")) {
                    // A stored row holds a position the log head gave out: rows were inserted without the
                    // head (a restore or an import), so it is behind the log.
                    repairHead(c);
                    commit(c, batch, false);
                    return;
                }
                failed(c, batch, e, !explicit && inFlight(e));
                return;
            }
            if (explicit) {
                try {
                    c.commit();
                } catch (SQLException e) {
                    failed(c, batch, e, true);
                    return;
                }
            }
        } finally {
            if (explicit) {
                c.setAutoCommit(true);
            }
        }
        recorded(fresh);                                 // committed: later appends of these need not record them
        if (!accepted.isEmpty()) {
            afterCommit.run();
        }
        for (Request r : accepted) {
            r.succeed();
        }
        for (Request r : batch) {
            if (!r.done) {                               // rejected: its expected version did not match
                rejected(c, r);
            }
        }
    }

    /**
     * The batch's statement failed. If the commit's outcome is unknown (the connection failed while
     * the server may have committed), every request fails saying so. If one request's data broke a
     * batch of several (a constraint, a value), each is retried alone, so only the culprit fails.
     * Otherwise each fails with the error.
     */
    private void failed(Connection c, List<Request> batch, SQLException e, boolean outcomeUnknown) throws SQLException {
        if (outcomeUnknown) {
            for (Request r : batch) {
                r.fail(new StoreException(r.describe() + ": the connection failed or the commit did not complete,"
                        + " so the events may or may not be stored: " + e.getMessage(), e));
            }
        } else if (batch.size() > 1 && isDataError(e)) {
            for (Request r : batch) {
                commit(c, List.of(r));
            }
        } else {
            for (Request r : batch) {
                r.fail(translate(c, r, e));
            }
        }
    }

    /**
     * A connection-level failure (class 08), an I/O error, or the server ending the session (57P01
     * administrator shutdown, 57P02 crash shutdown, ...): the server may have committed the statement
     * before the client heard back. A terminated backend reports 57P01 whenever it notices the
     * termination, which can be after its commit (PostgreSQL sends the error instead of the rest of
     * the reply), so the client cannot tell.
     */
    private static boolean inFlight(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /**
     * Fails a request whose statement updated nothing: a version conflict, or a missing log head row.
     * A conflict of a command that the stream holds already is reported as the duplicate it is.
     */
    private void rejected(Connection c, Request r) {
        DuplicateCommandException duplicate = storedCommand(c, r);
        if (duplicate != null) {
            r.fail(duplicate);
            return;
        }
        long actual = currentVersion(c, r);
        r.fail(actual == r.expected
                // The version matched, so the log head's UPDATE found no row: someone deleted it.
                ? new StoreException(r.describe() + ": the row of " + names.logHead() + " is missing; restore it with"
                        + " INSERT INTO " + names.sql().logHead() + " (id, position) SELECT true, coalesce(max(position), 0) FROM "
                        + names.sql().events())
                : new ConcurrencyException(r.streamType, r.streamId, r.expected, actual));
    }

    /** Whether an event of the batch has a combination not known to be recorded (allocates nothing when all are). */
    private boolean anyUnrecorded(List<Request> batch) {
        for (Request r : batch) {
            for (NewEvent e : r.events) {
                if (!isRecorded(r.streamType, e)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Set<StoredEventType> unrecorded(List<Request> accepted) {
        Set<StoredEventType> fresh = new LinkedHashSet<>();
        for (Request r : accepted) {
            for (NewEvent e : r.events) {
                if (!isRecorded(r.streamType, e)) {
                    fresh.add(new StoredEventType(r.streamType, e.eventType(), e.eventVersion()));
                }
            }
        }
        return fresh;
    }

    /** Inserts {@code fresh} into the event types table, in the append's transaction (after its log head lock). */
    private void recordTypes(Connection c, Set<StoredEventType> fresh) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(recordTypesSql)) {
            ps.setArray(1, c.createArrayOf("text", fresh.stream().map(StoredEventType::streamType).toArray()));
            ps.setArray(2, c.createArrayOf("text", fresh.stream().map(StoredEventType::eventType).toArray()));
            ps.setArray(3, c.createArrayOf("int4", fresh.stream().map(StoredEventType::eventVersion).toArray()));
            ps.executeUpdate();
        }
    }

    /** Runs the batch's statement; returns the requests whose version matched, with results set. */
    private List<Request> insert(Connection c, List<Request> batch) throws SQLException {
        if (batch.size() == 1 && batch.get(0).events.size() <= AppendSql.MAX_LONE_ROWS) {
            Request r = batch.get(0);
            return insertLone(c, r) ? batch : List.of();
        }
        // All or nothing: the statement stores the batch only if every version matches, else it names the
        // requests that did not match, and the rest go again without them (a conflict is the rare case).
        List<Request> pending = batch;
        while (true) {
            long base;
            Object[] rejected;
            try (PreparedStatement ps = c.prepareStatement(sql.group)) {
                sql.bindGroup(c, ps, pending);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    base = rs.getLong(1);
                    rejected = rs.wasNull() ? (Object[]) rs.getArray(2).getArray() : null;
                }
            }
            if (rejected == null) {
                long next = base + 1;
                for (Request r : pending) {
                    int rows = r.events.size();
                    r.result = new AppendResult(r.expected + rows, next, next + rows - 1);
                    next += rows;
                }
                return pending == batch ? batch : accepted(batch);
            }
            if (rejected.length == 0) {
                return accepted(batch);                  // every version matched, yet no positions: the log head row is missing
            }
            List<Request> rest = new ArrayList<>(pending);
            for (int k = rejected.length - 1; k >= 0; k--) {
                rest.remove(((Number) rejected[k]).intValue() - 1);
            }
            if (rest.isEmpty()) {
                return accepted(batch);
            }
            pending = rest;
        }
    }

    private static List<Request> accepted(List<Request> batch) {
        List<Request> accepted = new ArrayList<>(batch.size());
        for (Request r : batch) {
            if (r.result != null) {
                accepted.add(r);
            }
        }
        return accepted;
    }

    /** One request with the lone form; whether its version matched (then its result is set). */
    private boolean insertLone(Connection c, Request r) throws SQLException {
        int rows = r.events.size();
        try (PreparedStatement ps = c.prepareStatement(sql.lone(rows), AppendSql.RETURNING)) {
            sql.bindLone(ps, r);
            if (ps.executeUpdate() != rows) {
                return false;
            }
            long first = Long.MAX_VALUE;
            try (ResultSet keys = ps.getGeneratedKeys()) {
                while (keys.next()) {                   // contiguous positions, whatever order they come in
                    first = Math.min(first, keys.getLong(1));
                }
            }
            r.result = new AppendResult(r.expected + rows, first, first + rows - 1);
            return true;
        }
    }

    private RuntimeException translate(Connection c, Request r, SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (violates(e, "events_command_key")) {
            DuplicateCommandException duplicate = storedCommand(c, r);
            if (duplicate != null) {
                return duplicate;
            }
            // None is stored: the request holds one command id twice.
            List<String> ids = AppendSql.commandIds(r);
            for (int k = 0; k < ids.size(); k++) {
                if (ids.indexOf(ids.get(k)) != k) {
                    return new DuplicateCommandException(r.streamType, r.streamId, ids.get(k), -1);
                }
            }
            return new StoreException(r.describe() + ": " + message, e);
        }
        if (violates(e, "events_stream_version_key")) {
            // Only a writer that bypasses the append lock gets here; the unique key is the last line of defence.
            return new ConcurrencyException(r.streamType, r.streamId, r.expected, currentVersion(c, r), "unique key violation");
        }
        if (violates(e, "events_event_id_key")) {
            return new StoreException(r.describe() + ": an event id of the batch is already stored (" + message + ")", e);
        }
        return new StoreException(r.describe() + ": " + message, e);
    }

    /** The first command of the request whose id the stream holds already, as the exception to fail it with; or {@code null}. */
    private DuplicateCommandException storedCommand(Connection c, Request r) {
        for (String commandId : AppendSql.commandIds(r)) {
            long earlier = commandVersionOrUnknown(c, r.streamType, r.streamId, commandId);
            if (earlier > 0) {
                return new DuplicateCommandException(r.streamType, r.streamId, commandId, earlier);
            }
        }
        return null;
    }

    /** The version of the first event command {@code commandId} appended to the stream, or {@code 0} if none. */
    public long commandVersion(Connection c, String streamType, String streamId, String commandId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.commandVersion)) {
            ps.setString(1, streamType);
            ps.setString(2, streamId);
            ps.setString(3, commandId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** As {@link #commandVersion}, or {@code -1} if that cannot be read (while an append already failed). */
    private long commandVersionOrUnknown(Connection c, String streamType, String streamId, String commandId) {
        try {
            return commandVersion(c, streamType, streamId, commandId);
        } catch (SQLException e) {
            return -1;
        }
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

    /** Whether {@code e} is a unique violation of this store's constraint {@code constraint} (unprefixed name). */
    private boolean violates(SQLException e, String constraint) {
        return "23505".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains(names.local(constraint));
    }

    /** Moves the log head up to the largest stored position (see {@link AppendSql#repairHead}). */
    private void repairHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.repairHead)) {
            ps.executeUpdate();
        }
    }

    /** Integrity (23) and data (22) errors come from one request's values, not from the database's state. */
    private static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("23") || state.startsWith("22"));
    }

    /** One caller's append, completed exactly once by whichever thread commits it. */
    private static final class Request implements AppendSql.Part {
        final String streamType;
        final String streamId;
        final int streamHash;
        final long expected;
        final List<NewEvent> events;
        final Thread owner = Thread.currentThread();
        AppendResult result;
        RuntimeException failure;
        volatile boolean done;

        Request(String streamType, String streamId, long expected, List<NewEvent> events) {
            this.streamType = streamType;
            this.streamId = streamId;
            this.streamHash = 31 * streamType.hashCode() + streamId.hashCode();
            this.expected = expected;
            this.events = events;
        }

        @Override
        public String streamType() {
            return streamType;
        }

        @Override
        public String streamId() {
            return streamId;
        }

        @Override
        public long expected() {
            return expected;
        }

        @Override
        public List<NewEvent> events() {
            return events;
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
