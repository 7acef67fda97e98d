package dev.eventsource.store.postgres;

import dev.eventsource.store.AggregateLoad;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.CommandIds;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.Lease;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.PartitionLeases;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StoredEventType;
import dev.eventsource.store.StoredEventTypes;
import dev.eventsource.store.TransactionalCheckpoints;
import dev.eventsource.store.TransactionalDeadLetters;
import dev.eventsource.store.postgres.internal.AppendListeners;
import dev.eventsource.store.postgres.internal.Appender;
import dev.eventsource.store.postgres.internal.Jdbc;
import dev.eventsource.store.postgres.internal.Leases;
import dev.eventsource.store.postgres.internal.MetadataJson;
import dev.eventsource.store.postgres.internal.Migrations;
import dev.eventsource.store.postgres.internal.PgNames;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The PostgreSQL event store, over plain JDBC. It creates its tables on first use (safely when
 * several processes start at once), gives events dense, commit-ordered global positions so tailing
 * readers never skip one, wakes them with {@code LISTEN/NOTIFY}, runs transactional projections
 * in the same transaction as their checkpoint, and shares the partitions of asynchronous projections
 * between the instances using it through lease rows ({@link PartitionLeases}: the database is the only
 * coordinator; no advisory lock, so it works behind a transaction-pooling PgBouncer), and records
the (stream type, event type, version) combinations it stores for the engine's start check
({@link StoredEventTypes}). See
 * {@code docs/postgres.md} for the schema, the gap-free mechanism, the lease SQL and tuning.
 *
 * <pre>{@code
 * import com.zaxxer.hikari.HikariDataSource;
 *
 * HikariDataSource pool = new HikariDataSource();
 * pool.setJdbcUrl("jdbc:postgresql://localhost:5432/app?user=app");
 * PostgresStore store = PostgresStore.builder(pool).schema("eventsource").build();
 * Engine engine = new Engine(store);
 * }</pre>
 *
 * <p>Thread-safe. Each call borrows a connection from the {@link DataSource} and returns it before
 * it returns (a pool is strongly recommended); the {@code onAppend} listener thread holds one
 * connection for as long as listeners are registered, so a pool serving asynchronous projections
 * needs at least 2 connections (the first {@code onAppend} checks that a second one can be
 * borrowed, and fails otherwise). Connections must use the default {@code READ
 * COMMITTED} isolation. Concurrent appends of one process are committed together (group commit)
 * unless {@link Builder#groupCommit(boolean)} turns that off. The lease operations hold no
 * connection between calls: each borrows one for one statement, so an engine's one lease thread
 * needs at most one connection more at a time.
 */
public final class PostgresStore implements EventStore, TransactionalCheckpoints, TransactionalDeadLetters, PartitionLeases,
        StoredEventTypes, CommandIds {

    private static final String EVENT_COLUMNS =
            "position, stream_type, stream_id, version, event_id, event_type, event_version, recorded_at, payload, metadata";

    /** The work of a transaction that is only the store's own statements. */
    private static final TransactionWork NO_WORK = tx -> { };

    private final DataSource dataSource;
    private final PgNames names;
    private final Migrations migrations;
    private final Appender appender;
    private final AppendListeners listeners;
    private final Leases leases;
    private final int readBatchSize;
    private final String readStreamSql;
    private final String readLogSql;
    private final String loadAggregateSql;
    private volatile boolean ready;

    /** A store with the default options: tables {@code public.es_*}, group commit and notifications on. */
    public PostgresStore(DataSource dataSource) {
        this(builder(dataSource));
    }

    private PostgresStore(Builder b) {
        this.dataSource = b.dataSource;
        this.names = new PgNames(b.schema, b.tablePrefix);
        this.migrations = new Migrations(names);
        this.listeners = new AppendListeners(dataSource, names, b.notifications, b.pollInterval, b.threadFactory);
        this.appender = new Appender(dataSource, names, b.groupCommit, b.groupCommitMaxEvents, b.notifications, b.beforeCommit,
                listeners::signal);
        this.leases = new Leases(dataSource, names);
        this.readBatchSize = b.readBatchSize;
        this.readStreamSql = "SELECT " + EVENT_COLUMNS + " FROM " + names.sql().events()
                + " WHERE stream_type = ? AND stream_id = ? AND version > ? ORDER BY version LIMIT ?";
        this.readLogSql = "SELECT " + EVENT_COLUMNS + " FROM " + names.sql().events() + " WHERE position > ? ORDER BY position LIMIT ?";
        // The snapshot row (position NULL, fingerprint set) sorts first: every event it is sent with has a higher version.
        this.loadAggregateSql = "WITH s AS (SELECT version, fingerprint, state, taken_at FROM " + names.sql().snapshots()
                + " WHERE stream_type = ? AND stream_id = ?)"
                + " SELECT NULL::bigint, NULL::text, NULL::text, version, NULL::uuid, NULL::text, NULL::integer, taken_at, state,"
                + " NULL::json, fingerprint FROM s"
                + " UNION ALL (SELECT " + EVENT_COLUMNS + ", NULL::bigint FROM " + names.sql().events()
                + " WHERE stream_type = ? AND stream_id = ? AND version > coalesce((SELECT version FROM s), 0)"
                + " ORDER BY version LIMIT ?) ORDER BY 4";
    }

    /** Starts a builder for a store over {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * The readable qualified name of the events table, e.g. {@code public.es_events}, as messages
     * show it. In SQL of your own, quote the schema if it is a reserved word ({@code "order".es_events});
     * the store's own SQL always quotes it.
     */
    public String eventsTable() {
        return names.events();
    }

    /** The DDL this store runs on first use, in order; for review and for docs. */
    public List<String> ddl() {
        return migrations.ddl();
    }

    /**
     * Creates or upgrades the tables now instead of on first use. Idempotent and safe to call from
     * several processes at once.
     *
     * @throws StoreException if the database is unreachable, the isolation level is not
     *     {@code READ COMMITTED}, or the schema is newer than this library
     */
    public void migrate() {
        migrations.migrate(dataSource);
        try (Connection c = Jdbc.connect(dataSource)) {
            if (c.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
                throw new StoreException("the PostgreSQL store needs READ COMMITTED connections (the default), got isolation level "
                        + c.getTransactionIsolation() + "; its append lock relies on each statement seeing the latest commits");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot check the transaction isolation of the connections to " + names.events() + ": "
                    + e.getMessage(), e);
        }
        ready = true;
    }

    private void ensureReady() {
        if (!ready) {
            synchronized (this) {
                if (!ready) {
                    migrate();
                }
            }
        }
    }

    // ---------------------------------------------------------------- append

    @Override
    public AppendResult append(String streamType, String streamId, long expectedVersion, List<NewEvent> events) {
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(events, "events");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expected version must not be negative: " + expectedVersion + " for "
                    + streamType + "/" + streamId);
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException("nothing to append to " + streamType + "/" + streamId + ": no events");
        }
        ensureReady();
        return appender.append(streamType, streamId, expectedVersion, events);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One query of the small event types table (schema version 4), which appends fill in their own
     * transaction the first time this process appends a combination, and the migration to version 4
     * filled from the events once. Rows inserted into the events table by other means than this store
     * are not listed.
     */
    @Override
    public Set<StoredEventType> storedEventTypes() {
        ensureReady();
        Set<StoredEventType> types = new HashSet<>();
        try (Connection c = Jdbc.connect(dataSource);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT stream_type, event_type, event_version FROM " + names.sql().eventTypes())) {
            while (rs.next()) {
                types.add(new StoredEventType(rs.getString(1), rs.getString(2), rs.getInt(3)));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the stored event types from " + names.eventTypes() + ": " + e.getMessage(), e);
        }
        appender.recorded(types);
        return Set.copyOf(types);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One indexed query: the command id is kept on the first event of each append, and a partial
     * unique index on (stream type, stream id, command id) refuses a second append of it from any
     * process (migration 5).
     */
    @Override
    public long commandVersion(String streamType, String streamId, String commandId) {
        ensureReady();
        try (Connection c = Jdbc.connect(dataSource)) {
            return appender.commandVersion(c, streamType, streamId, commandId);
        } catch (SQLException e) {
            throw new StoreException("cannot read command " + commandId + " of " + streamType + "/" + streamId + ": "
                    + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public long readStream(String streamType, String streamId, long afterVersion, Consumer<? super StoredEvent> sink) {
        ensureReady();
        long version = afterVersion;
        List<StoredEvent> page;
        do {
            page = query("cannot read stream " + streamType + "/" + streamId + " after version " + version, readStreamSql,
                    streamType, streamId, version, readBatchSize);
            for (StoredEvent e : page) {
                sink.accept(e);
                version = e.version();
            }
        } while (page.size() == readBatchSize);
        return version;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One query returns the snapshot and the first {@link Builder#readBatchSize(int)} events after
     * it; a longer stream continues in pages like {@link #readStream}. A refused snapshot costs a
     * second query, from version 1.
     */
    @Override
    public long loadAggregate(String streamType, String streamId, AggregateLoad sink) {
        ensureReady();
        Snapshot snapshot = null;
        List<StoredEvent> page = new ArrayList<>();
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(loadAggregateSql)) {
            ps.setString(1, streamType);
            ps.setString(2, streamId);
            ps.setString(3, streamType);
            ps.setString(4, streamId);
            ps.setInt(5, readBatchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long fingerprint = rs.getLong(11);
                    if (rs.wasNull()) {
                        page.add(event(rs));
                    } else {
                        snapshot = new Snapshot(streamType, streamId, rs.getLong(4), fingerprint, rs.getBytes(9),
                                rs.getObject(8, OffsetDateTime.class).toInstant());
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot load the snapshot and events of " + streamType + "/" + streamId + " from "
                    + names.snapshots() + " and " + names.events() + ": " + e.getMessage(), e);
        }
        if (snapshot != null && !sink.snapshot(snapshot)) {
            return readStream(streamType, streamId, 0, sink);
        }
        long version = snapshot == null ? 0 : snapshot.version();
        for (StoredEvent e : page) {
            sink.accept(e);
            version = e.version();
        }
        return page.size() == readBatchSize ? readStream(streamType, streamId, version, sink) : version;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns at most {@link Builder#readBatchSize(int)} events per call, whatever {@code limit} asks.
     */
    @Override
    public List<StoredEvent> readLog(long afterPosition, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        ensureReady();
        return query("cannot read the global log after position " + afterPosition, readLogSql, afterPosition,
                Math.min(limit, readBatchSize));
    }

    @Override
    public long headPosition() {
        ensureReady();
        try (Connection c = Jdbc.connect(dataSource);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(names.headQuery())) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot read the head position of " + names.events() + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Listeners hear of commits by every process using the same tables (through {@code
     * LISTEN/NOTIFY}), typically within a millisecond; they run on the store's listener thread. The
     * first call opens the listener's connection, which it holds until {@link #close()}, and checks
     * (waiting up to 5 s) that the data source still hands out a second one.
     *
     * @throws StoreException if the first call cannot open the listener's connection
     * @throws IllegalStateException if the store is closed, or the data source hands out no second
     *     connection while the listener holds one (a pool of one: configure at least 2)
     */
    @Override
    public AutoCloseable onAppend(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        ensureReady();
        return listeners.add(listener);
    }

    private List<StoredEvent> query(String doing, String sql, Object... params) {
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredEvent> events = new ArrayList<>();
                while (rs.next()) {
                    events.add(event(rs));
                }
                return events;
            }
        } catch (SQLException e) {
            throw new StoreException(doing + " in " + names.events() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The row as it is stored: the payload is not decoded here, so a bad one still reaches the engine
     * intact; metadata that does not read is the row's {@link StoredEvent#readProblem()}, never a
     * failed query, so one bad row cannot stop a reader of the log.
     */
    private static StoredEvent event(ResultSet rs) throws SQLException {
        Map<String, String> metadata = Map.of();
        String problem = null;
        try {
            metadata = MetadataJson.read(rs.getString(10));
        } catch (IOException | RuntimeException e) {
            problem = "unreadable metadata: " + e.getMessage();
        }
        return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getObject(5, UUID.class),
                rs.getString(6), rs.getInt(7), rs.getObject(8, OffsetDateTime.class).toInstant(), rs.getBytes(9), metadata,
                problem);
    }

    // ---------------------------------------------------------------- snapshots

    @Override
    public void saveSnapshot(Snapshot s) {
        ensureReady();
        update("cannot save the snapshot of " + s.streamType() + "/" + s.streamId() + " at version " + s.version(),
                "INSERT INTO " + names.sql().snapshots() + " AS s (stream_type, stream_id, version, fingerprint, state, taken_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = excluded.version,"
                        + " fingerprint = excluded.fingerprint, state = excluded.state, taken_at = excluded.taken_at"
                        + " WHERE s.version <= excluded.version",
                s.streamType(), s.streamId(), s.version(), s.fingerprint(), s.state(),
                OffsetDateTime.ofInstant(s.takenAt(), ZoneOffset.UTC));
    }

    @Override
    public Optional<Snapshot> loadSnapshot(String streamType, String streamId) {
        ensureReady();
        String sql = "SELECT version, fingerprint, state, taken_at FROM " + names.sql().snapshots()
                + " WHERE stream_type = ? AND stream_id = ?";
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, streamType);
            ps.setString(2, streamId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Snapshot(streamType, streamId, rs.getLong(1), rs.getLong(2), rs.getBytes(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot load the snapshot of " + streamType + "/" + streamId + " from "
                    + names.snapshots() + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- checkpoints

    @Override
    public Map<Integer, Long> loadCheckpoints(String projection) {
        ensureReady();
        String sql = "SELECT partition, position FROM " + names.sql().checkpoints() + " WHERE projection = ?";
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, projection);
            try (ResultSet rs = ps.executeQuery()) {
                Map<Integer, Long> checkpoints = new HashMap<>();
                while (rs.next()) {
                    checkpoints.put(rs.getInt(1), rs.getLong(2));
                }
                return checkpoints;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot load the checkpoints of projection " + projection + " from "
                    + names.checkpoints() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveCheckpoint(String projection, int partition, long position) {
        ensureReady();
        try (Connection c = Jdbc.connect(dataSource)) {
            saveCheckpoint(c, projection, partition, position);
        } catch (SQLException e) {
            throw checkpointFailure(projection, partition, position, e);
        }
    }

    /**
     * Monotonic upsert (see {@link dev.eventsource.store.CheckpointStore#saveCheckpoint}): a lower
     * position than the saved one leaves the row alone. Used alone and inside projection transactions.
     */
    private void saveCheckpoint(Connection c, String projection, int partition, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(checkpointUpsert("VALUES (?, ?, ?)"))) {
            ps.setString(1, projection);
            ps.setInt(2, partition);
            ps.setLong(3, position);
            ps.executeUpdate();
        }
    }

    /** The monotonic upsert of the checkpoint rows {@code source} gives (projection, partition, position). */
    private String checkpointUpsert(String source) {
        return "INSERT INTO " + names.sql().checkpoints() + " AS c (projection, partition, position) " + source
                + " ON CONFLICT (projection, partition) DO UPDATE SET position = excluded.position, updated_at = now()"
                + " WHERE c.position < excluded.position";
    }

    private StoreException checkpointFailure(String projection, int partition, long position, Exception e) {
        return new StoreException("cannot save checkpoint " + position + " of projection " + projection + " partition "
                + partition + " in " + names.checkpoints() + ": " + e.getMessage(), e);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also revokes every lease of the projection ({@link PartitionLeases}), in the same
     * transaction: it waits for the fenced transactions in flight, then no owner from before can
     * save a checkpoint. Three round trips.
     */
    @Override
    public void deleteCheckpoints(String projection) {
        transaction(new Steps("the transaction that deletes the checkpoints of projection " + projection
                + " and revokes its leases", c -> leases.revoke(c, projection), c -> deleteCheckpoints(c, projection),
                e -> new StoreException("cannot delete the checkpoints of projection " + projection + " from "
                        + names.checkpoints() + ": " + e.getMessage(), e)), NO_WORK);
    }

    private void deleteCheckpoints(Connection c, String projection) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + names.sql().checkpoints() + " WHERE projection = ?")) {
            ps.setString(1, projection);
            ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- transactional checkpoints

    /** {@code java.sql.Connection}: the work gets the transaction's connection. */
    @Override
    public Class<?> transactionType() {
        return Connection.class;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The work gets a {@link Connection} with auto-commit off; it must neither commit, roll back
     * nor close it.
     */
    @Override
    public void inTransaction(String projection, int partition, long position, TransactionWork work) {
        transaction(checkpointSteps(projection, partition, position, c -> { }), work);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The work gets a {@link Connection} with auto-commit off; it must neither commit, roll back
     * nor close it. The transaction first revokes every lease of the projection
     * ({@link PartitionLeases}): it waits for the fenced transactions in flight, and whichever
     * instance claims a partition after the commit starts it from no checkpoint.
     */
    @Override
    public void resetInTransaction(String projection, TransactionWork work) {
        transaction(new Steps("the transaction of projection " + projection
                + " that resets it, deletes its checkpoints and revokes its leases", c -> leases.revoke(c, projection),
                c -> deleteCheckpoints(c, projection),
                e -> new StoreException("cannot reset projection " + projection + " and delete its checkpoints in "
                        + names.checkpoints() + ": " + e.getMessage(), e)), work);
    }

    /** The steps of a transaction that saves one checkpoint after the work, {@code before} running first. */
    private Steps checkpointSteps(String projection, int partition, long position, SqlStep before) {
        return new Steps("the transaction of projection " + projection + " partition " + partition + " that saves checkpoint "
                + position, before, c -> saveCheckpoint(c, projection, partition, position),
                e -> checkpointFailure(projection, partition, position, e));
    }

    /**
     * Runs {@code before}, the work and {@code after} in one transaction and commits. A failure of the
     * work or of the store's own statements rolls everything back: a broken connection is a
     * {@link StoreUnavailableException}, the work's unchecked exceptions are rethrown as they are,
     * its checked ones wrapped in a {@link StoreException}.
     */
    private void transaction(Steps steps, TransactionWork work) {
        Objects.requireNonNull(work, "work");
        ensureReady();
        try (Connection c = Jdbc.connect(dataSource)) {
            c.setAutoCommit(false);
            boolean working = false;
            try {
                steps.before().run(c);
                working = true;
                work.run(c);
                working = false;
                steps.after().run(c);
                c.commit();
            } catch (Exception | Error e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                if (e instanceof LeaseLostException lost) {
                    throw lost;                          // the fence refused: the work did not run
                }
                if (e instanceof Exception && Jdbc.broken(c)) {
                    // Not the work's fault (a restart, the network): say so, so the engine retries rather than
                    // counting it against the event.
                    throw new StoreUnavailableException("the database connection broke in " + steps.name() + ": "
                            + e.getMessage(), e);
                }
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e instanceof Error error) {
                    throw error;
                }
                if (!working && e instanceof SQLException sql) {
                    throw sql;                           // the store's own statement: named by steps.failure below
                }
                throw new StoreException("the work failed in " + steps.name() + ": " + e.getMessage(), e);
            } finally {
                if (!c.isClosed()) {                     // a broken connection is closed: nothing to restore, and
                    c.setAutoCommit(true);               // trying would hide the failure above
                }
            }
        } catch (SQLException e) {
            throw steps.failure().apply(e);
        }
    }

    /** A statement of the store's inside a transaction. */
    @FunctionalInterface
    private interface SqlStep {
        void run(Connection c) throws SQLException;
    }

    /**
     * What a transaction of {@link #transaction} does around the work, and how messages name it.
     *
     * @param name the transaction, in messages ("the transaction of projection p partition 1 that ...")
     * @param before the store's statements before the work (a fence, a revocation)
     * @param after the store's statements after the work (the checkpoint)
     * @param failure the exception for a failure of the store's own statements or of the connection
     */
    private record Steps(String name, SqlStep before, SqlStep after, Function<SQLException, StoreException> failure) {
    }

    // ---------------------------------------------------------------- partition leases

    /**
     * {@inheritDoc}
     *
     * <p>One statement: upserts the membership, forgets members whose heartbeats stopped, renews
     * the instance's leases below {@code partitions} and counts the live members. A lease being
     * claimed (it ran out) or revoked at that moment is not waited for, and is not in {@code held}.
     *
     * @throws IllegalArgumentException if {@code partitions < 1}, the instance id is empty or the
     *     timeout is below 1 ms
     */
    @Override
    public Membership heartbeat(String projection, int partitions, String instanceId, Duration timeout) {
        ensureReady();
        return leases.heartbeat(projection, partitions, instanceId, timeout);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement; it also creates the rows of partitions that have none yet.
     *
     * @throws IllegalArgumentException as {@link #heartbeat} does
     */
    @Override
    public List<Lease> claim(String projection, int partitions, String instanceId, int max, Duration timeout) {
        ensureReady();
        return leases.claim(projection, partitions, instanceId, max, timeout);
    }

    @Override
    public void release(Lease lease) {
        ensureReady();
        leases.release(lease);
    }

    @Override
    public void leave(String projection, String instanceId) {
        ensureReady();
        leases.leave(projection, instanceId);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One statement: it locks the lease row (against a claim) and upserts the checkpoint.
     */
    @Override
    public void saveCheckpoint(Lease lease, long position) {
        ensureReady();
        String sql = leases.held() + ", saved AS (" + checkpointUpsert("SELECT projection, partition, ? FROM held") + ")"
                + " SELECT count(*) FROM held";
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(sql)) {
            Leases.bindLease(ps, 1, lease).setLong(5, position);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    throw new LeaseLostException(lease, "checkpoint " + position);
                }
            }
        } catch (SQLException e) {
            throw checkpointFailure(lease.projection(), lease.partition(), position, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The transaction's first statement locks the lease row {@code FOR KEY SHARE} if it is still
     * held at its epoch; the lock keeps any claim off the partition until the commit, however long
     * the work takes, while the owner's heartbeats still renew it. The work gets a {@link Connection}
     * as in {@link #inTransaction(String, int, long, TransactionWork)}.
     */
    @Override
    public void inTransaction(Lease lease, long position, TransactionWork work) {
        transaction(checkpointSteps(lease.projection(), lease.partition(), position, c -> {
            if (!leases.fence(c, lease)) {
                throw new LeaseLostException(lease, "the transaction that saves checkpoint " + position);
            }
        }), work);
    }

    @Override
    public void markStopped(Lease lease, String failure) {
        ensureReady();
        leases.markStopped(lease, failure);
    }

    @Override
    public List<Lease> leases(String projection) {
        ensureReady();
        return leases.leases(projection);
    }

    // ---------------------------------------------------------------- dead letters

    @Override
    public void saveDeadLetter(DeadLetter d) {
        ensureReady();
        update("cannot save the dead letter of projection " + d.projection() + " at position " + d.globalPosition(),
                "INSERT INTO " + names.sql().deadLetters() + " (projection, partition, global_position, stream_type, stream_id,"
                        + " version, event_type, attempts, error, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (projection, global_position) DO UPDATE SET partition = excluded.partition,"
                        + " stream_type = excluded.stream_type, stream_id = excluded.stream_id, version = excluded.version,"
                        + " event_type = excluded.event_type, attempts = excluded.attempts, error = excluded.error,"
                        + " failed_at = excluded.failed_at",
                d.projection(), d.partition(), d.globalPosition(), d.streamType(), d.streamId(), d.version(), d.eventType(),
                d.attempts(), d.error(), OffsetDateTime.ofInstant(d.failedAt(), ZoneOffset.UTC));
    }

    @Override
    public List<DeadLetter> loadDeadLetters(String projection) {
        ensureReady();
        String sql = "SELECT partition, global_position, stream_type, stream_id, version, event_type, attempts, error, failed_at"
                + " FROM " + names.sql().deadLetters() + " WHERE projection = ? ORDER BY global_position";
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, projection);
            try (ResultSet rs = ps.executeQuery()) {
                List<DeadLetter> letters = new ArrayList<>();
                while (rs.next()) {
                    letters.add(new DeadLetter(projection, rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6), rs.getInt(7), rs.getString(8),
                            rs.getObject(9, OffsetDateTime.class).toInstant()));
                }
                return letters;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot load the dead letters of projection " + projection + " from "
                    + names.deadLetters() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean deleteDeadLetter(String projection, long globalPosition) {
        ensureReady();
        return update("cannot delete the dead letter of projection " + projection + " at position " + globalPosition,
                deleteDeadLetterSql(), projection, globalPosition) > 0;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code transaction} is the {@link Connection} the work of {@link #inTransaction} got; the
     * delete locks the dead letter's row until that transaction ends.
     */
    @Override
    public boolean deleteDeadLetter(Object transaction, String projection, long globalPosition) {
        if (!(transaction instanceof Connection c)) {
            throw new IllegalArgumentException("cannot delete the dead letter of projection " + projection + " at position "
                    + globalPosition + " in " + transaction + ": pass the java.sql.Connection that inTransaction gave"
                    + " the work");
        }
        try (PreparedStatement ps = c.prepareStatement(deleteDeadLetterSql())) {
            ps.setString(1, projection);
            ps.setLong(2, globalPosition);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("cannot delete the dead letter of projection " + projection + " at position "
                    + globalPosition + " from " + names.deadLetters() + " in its transaction: " + e.getMessage(), e);
        }
    }

    private String deleteDeadLetterSql() {
        return "DELETE FROM " + names.sql().deadLetters() + " WHERE projection = ? AND global_position = ?";
    }

    // ---------------------------------------------------------------- lifecycle

    /** Stops the listener thread and releases its connection. The {@link DataSource} stays open: it is the caller's. */
    @Override
    public void close() {
        listeners.close();
    }

    /** Runs one statement on a connection of its own; returns how many rows it changed. */
    private int update(String doing, String sql, Object... params) {
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(doing + ": " + e.getMessage(), e);
        }
    }

    /**
     * Options of a {@link PostgresStore}; every one has a sensible default.
     *
     * <pre>{@code
     * PostgresStore store = PostgresStore.builder(dataSource)
     *         .schema("orders").tablePrefix("es_").readBatchSize(2_000).build();
     * }</pre>
     */
    public static final class Builder {

        private final DataSource dataSource;
        private String schema = "public";
        private String tablePrefix = "es_";
        private int readBatchSize = 1_000;
        private boolean groupCommit = true;
        private int groupCommitMaxEvents = 1_000;
        private boolean notifications = true;
        private Duration pollInterval = Duration.ofMillis(500);
        private Runnable beforeCommit;
        private ThreadFactory threadFactory = Thread::new;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The schema of the tables (created if missing); lower-case identifier, reserved words such as
         * {@code order} or {@code user} included (the store quotes it); default {@code public}.
         */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** Prepended to every table name; lower-case identifier or empty; default {@code es_}. */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
            return this;
        }

        /** Most rows one read query returns: stream reads page by it, {@code readLog} caps its limit at it; default 1,000. */
        public Builder readBatchSize(int readBatchSize) {
            requireArgument(readBatchSize >= 1 && readBatchSize <= 100_000, "read batch size must be in 1..100000: %s",
                    readBatchSize);
            this.readBatchSize = readBatchSize;
            return this;
        }

        /** Whether concurrent appends of this process share one transaction and one disk flush; default on. */
        public Builder groupCommit(boolean groupCommit) {
            this.groupCommit = groupCommit;
            return this;
        }

        /** Most events one group commit transaction takes (one append is never split); default 1,000. */
        public Builder groupCommitMaxEvents(int groupCommitMaxEvents) {
            requireArgument(groupCommitMaxEvents >= 1, "group commit max events must be positive: %s", groupCommitMaxEvents);
            this.groupCommitMaxEvents = groupCommitMaxEvents;
            return this;
        }

        /** Whether appends send {@code pg_notify} and {@code onAppend} uses {@code LISTEN}; default on. Off: polling. */
        public Builder notifications(boolean notifications) {
            this.notifications = notifications;
            return this;
        }

        /** How often {@code onAppend} polls without notifications, and the longest reconnect backoff; default 500 ms. */
        public Builder pollInterval(Duration pollInterval) {
            requireArgument(pollInterval != null && !pollInterval.isNegative() && !pollInterval.isZero(),
                    "poll interval must be positive: %s", pollInterval);
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * Makes the store's threads (the {@code onAppend} listener and dispatcher, and the short-lived
         * probe of the pool at the first listener); the store names each one
         * {@code eventsource-pg-...} and makes it a daemon. Default: plain platform threads.
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /** Test seam: runs inside every append transaction just before it commits. */
        Builder beforeCommit(Runnable beforeCommit) {
            this.beforeCommit = beforeCommit;
            return this;
        }

        /**
         * The store; nothing touches the database until its first use (or {@link PostgresStore#migrate()}).
         *
         * @throws IllegalArgumentException if the schema or prefix is not a plain lower-case identifier
         */
        public PostgresStore build() {
            return new PostgresStore(this);
        }

        private static void requireArgument(boolean ok, String format, Object value) {
            if (!ok) {
                throw new IllegalArgumentException(String.format(format, value));
            }
        }
    }
}
