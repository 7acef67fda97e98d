package dev.eventsource.store.postgres.internal;

import dev.eventsource.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates and upgrades the store's tables. Each migration runs once, in order, recorded in the
 * {@code schema_version} table; the whole upgrade runs in one transaction while the connection holds
 * a {@code pg_advisory_lock}, so several processes starting at once are safe: the first one
 * migrates, the others wait and then find nothing to do.
 *
 * <pre>{@code
 * new Migrations(names).migrate(dataSource);   // idempotent
 * }</pre>
 *
 * <p>Thread-safe (stateless apart from the names); callers make sure it runs before first use.
 */
public final class Migrations {

    /** One step of the schema's history; never edited once released, only appended to. */
    record Migration(int version, String description, List<String> statements) {
    }

    private final PgNames names;
    private final List<Migration> migrations;

    /** Migrations for the tables named by {@code names}. */
    public Migrations(PgNames names) {
        this.names = names;
        this.migrations = List.of(
                new Migration(1, "events, snapshots, checkpoints, dead letters", version1(names)),
                new Migration(2, "log head counter ordering appends", version2(names)),
                new Migration(3, "partition leases and members of asynchronous projections", version3(names)),
                new Migration(4, "stored event types, backfilled from the events", version4(names)),
                new Migration(5, "command ids of appends, unique per stream", version5(names)));
    }

    /** The schema version this library writes and expects. */
    public int latestVersion() {
        return migrations.get(migrations.size() - 1).version();
    }

    /** The DDL of every migration, in order, for documentation and inspection. */
    public List<String> ddl() {
        return migrations.stream().flatMap(m -> m.statements().stream()).toList();
    }

    /**
     * Brings the schema to {@link #latestVersion()}.
     *
     * @throws StoreException if the database fails, or holds a newer schema than this library knows
     */
    public void migrate(DataSource dataSource) {
        try (Connection c = Jdbc.connect(dataSource)) {
            if (installedVersion(c) == latestVersion()) {
                return;                                  // fast path: no lock, no DDL
            }
            // A session lock taken before the transaction starts: the transaction then begins after any
            // other process's migration committed, so its catalog lookups see that migration's tables.
            advisoryLock(c, "pg_advisory_lock");
            try {
                c.setAutoCommit(false);
                try {
                    upgrade(c);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } finally {
                advisoryLock(c, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot create or upgrade the event store tables " + names.events()
                    + " to schema version " + latestVersion() + ": " + e.getMessage(), e);
        }
    }

    /** The recorded version, or 0 when the version table does not exist yet (autocommit query). */
    private int installedVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, names.sql().schemaVersion());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        return recordedVersion(c);
    }

    private int recordedVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM " + names.sql().schemaVersion())) {
            rs.next();
            int version = rs.getInt(1);
            if (version > latestVersion()) {
                throw new StoreException("the event store schema " + names.schema() + " (tables " + names.events()
                        + ", ...) is at version " + version + ", newer than this library supports (" + latestVersion()
                        + "); upgrade eventsource-runtime");
            }
            return version;
        }
    }

    private void advisoryLock(Connection c, String function) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT " + function + "(?)")) {
            lock.setLong(1, names.migrationLockKey());
            lock.execute();
        }
    }

    private void upgrade(Connection c) throws SQLException {
        boolean schemaMissing;
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regnamespace(?) IS NULL")) {
            ps.setString(1, names.sql().schema());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                schemaMissing = rs.getBoolean(1);
            }
        }
        try (Statement st = c.createStatement()) {
            if (schemaMissing) {                         // an existing schema needs no CREATE privilege
                st.execute("CREATE SCHEMA IF NOT EXISTS " + names.sql().schema());
            }
            st.execute("CREATE TABLE IF NOT EXISTS " + names.sql().schemaVersion() + " (\n"
                    + "    version     integer     PRIMARY KEY,\n"
                    + "    description text        NOT NULL,\n"
                    + "    applied_at  timestamptz NOT NULL DEFAULT now()\n"
                    + ")");
        }
        int current = recordedVersion(c);                // re-read under the lock: another process may have migrated
        for (Migration m : migrations) {
            if (m.version() <= current) {
                continue;
            }
            try (Statement st = c.createStatement()) {
                for (String sql : m.statements()) {
                    st.execute(sql);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + names.sql().schemaVersion() + " (version, description) VALUES (?, ?)")) {
                ps.setInt(1, m.version());
                ps.setString(2, m.description());
                ps.executeUpdate();
            }
        }
    }

    private static List<String> version5(PgNames n) {
        return List.of(
                // The id of each command of an append, on the command's first event only (the others keep null), so
                // the unique index refuses a second append of one command to a stream: the engine's idempotency.
                // Rows from before have none; building the index reads the table once.
                "ALTER TABLE " + n.sql().events() + " ADD COLUMN IF NOT EXISTS command_id text",
                "CREATE UNIQUE INDEX IF NOT EXISTS " + n.local("events_command_key") + " ON " + n.sql().events()
                        + " (stream_type, stream_id, command_id) WHERE command_id IS NOT NULL");
    }

    private static List<String> version4(PgNames n) {
        return List.of(
                // One row per (stream type, event type, version) ever appended: what Engine.start() checks it can read,
                // without scanning the log. Appends insert a combination in their own transaction the first time this
                // process sees it (see Appender), so a stored event's combination is never missing.
                "CREATE TABLE IF NOT EXISTS " + n.sql().eventTypes() + " (\n"
                        + "    stream_type   text        NOT NULL,\n"
                        + "    event_type    text        NOT NULL,\n"
                        + "    event_version integer     NOT NULL,\n"
                        + "    recorded_at   timestamptz NOT NULL DEFAULT now(),\n"
                        + "    CONSTRAINT " + n.local("event_types_pkey") + " PRIMARY KEY (stream_type, event_type, event_version)\n"
                        + ")",
                // The backfill reads the whole log once. The lock holds off appends by processes still running an older
                // release (they do not record combinations) until it commits; it is released with the migration.
                "LOCK TABLE " + n.sql().events() + " IN SHARE MODE",
                "INSERT INTO " + n.sql().eventTypes() + " (stream_type, event_type, event_version)"
                        + " SELECT DISTINCT stream_type, event_type, event_version FROM " + n.sql().events()
                        + " ON CONFLICT DO NOTHING");
    }

    private static List<String> version3(PgNames n) {
        return List.of(
                // One row per partition of a projection: its owner, the fencing epoch it claimed it at (every change of
                // hands and every revocation adds one) and when the lease runs out by the database's clock (see Leases).
                "CREATE TABLE IF NOT EXISTS " + n.sql().leases() + " (\n"
                        + "    projection text        NOT NULL,\n"
                        + "    partition  integer     NOT NULL,\n"
                        + "    owner      text,\n"
                        + "    epoch      bigint      NOT NULL DEFAULT 0,\n"
                        + "    expires_at timestamptz,\n"
                        + "    failure    text,\n"
                        + "    CONSTRAINT " + n.local("projection_leases_pkey") + " PRIMARY KEY (projection, partition),\n"
                        + "    CONSTRAINT " + n.local("projection_leases_owner_check")
                        + " CHECK ((owner IS NULL) = (expires_at IS NULL) AND partition >= 0)\n"
                        + ")",
                // One row per instance running a projection, until its heartbeats stop: how many share the partitions.
                "CREATE TABLE IF NOT EXISTS " + n.sql().members() + " (\n"
                        + "    projection  text        NOT NULL,\n"
                        + "    instance_id text        NOT NULL,\n"
                        + "    expires_at  timestamptz NOT NULL,\n"
                        + "    CONSTRAINT " + n.local("projection_members_pkey") + " PRIMARY KEY (projection, instance_id)\n"
                        + ")");
    }

    private static List<String> version2(PgNames n) {
        return List.of(
                // One row: the last position given out. Appends update it in their insert statement and hold its
                // row lock until they commit, which orders commits by position (see Appender).
                "CREATE TABLE IF NOT EXISTS " + n.sql().logHead() + " (\n"
                        + "    id       boolean NOT NULL DEFAULT true,\n"
                        + "    position bigint  NOT NULL,\n"
                        + "    CONSTRAINT " + n.local("log_head_pkey") + " PRIMARY KEY (id),\n"
                        + "    CONSTRAINT " + n.local("log_head_one_row") + " CHECK (id)\n"
                        + ")",
                "INSERT INTO " + n.sql().logHead() + " (id, position) SELECT true, coalesce(max(position), 0) FROM " + n.sql().events()
                        + " ON CONFLICT (id) DO NOTHING");
    }

    private static List<String> version1(PgNames n) {
        return List.of(
                // The log. position comes from the log head (version 2, see AppendSql): dense, commit-ordered.
                // payload is bytea: the engine's UTF-8 JSON bytes, stored and returned without re-encoding.
                "CREATE TABLE IF NOT EXISTS " + n.sql().events() + " (\n"
                        + "    position      bigint      NOT NULL,\n"
                        + "    stream_type   text        NOT NULL,\n"
                        + "    stream_id     text        NOT NULL,\n"
                        + "    version       bigint      NOT NULL,\n"
                        + "    event_id      uuid        NOT NULL,\n"
                        + "    event_type    text        NOT NULL,\n"
                        + "    event_version integer     NOT NULL,\n"
                        + "    recorded_at   timestamptz NOT NULL,\n"
                        + "    payload       bytea       NOT NULL,\n"
                        + "    metadata      json,\n"
                        + "    CONSTRAINT " + n.local("events_pkey") + " PRIMARY KEY (position),\n"
                        + "    CONSTRAINT " + n.local("events_stream_version_key") + " UNIQUE (stream_type, stream_id, version),\n"
                        + "    CONSTRAINT " + n.local("events_event_id_key") + " UNIQUE (event_id),\n"
                        + "    CONSTRAINT " + n.local("events_version_check") + " CHECK (version > 0 AND position > 0)\n"
                        + ")",
                "CREATE TABLE IF NOT EXISTS " + n.sql().snapshots() + " (\n"
                        + "    stream_type text        NOT NULL,\n"
                        + "    stream_id   text        NOT NULL,\n"
                        + "    version     bigint      NOT NULL,\n"
                        + "    fingerprint bigint      NOT NULL,\n"
                        + "    state       bytea       NOT NULL,\n"
                        + "    taken_at    timestamptz NOT NULL,\n"
                        + "    CONSTRAINT " + n.local("snapshots_pkey") + " PRIMARY KEY (stream_type, stream_id)\n"
                        + ")",
                "CREATE TABLE IF NOT EXISTS " + n.sql().checkpoints() + " (\n"
                        + "    projection text        NOT NULL,\n"
                        + "    partition  integer     NOT NULL,\n"
                        + "    position   bigint      NOT NULL,\n"
                        + "    updated_at timestamptz NOT NULL DEFAULT now(),\n"
                        + "    CONSTRAINT " + n.local("checkpoints_pkey") + " PRIMARY KEY (projection, partition)\n"
                        + ")",
                "CREATE TABLE IF NOT EXISTS " + n.sql().deadLetters() + " (\n"
                        + "    projection      text        NOT NULL,\n"
                        + "    partition       integer     NOT NULL,\n"
                        + "    global_position bigint      NOT NULL,\n"
                        + "    stream_type     text        NOT NULL,\n"
                        + "    stream_id       text        NOT NULL,\n"
                        + "    version         bigint      NOT NULL,\n"
                        + "    event_type      text        NOT NULL,\n"
                        + "    attempts        integer     NOT NULL,\n"
                        + "    error           text        NOT NULL,\n"
                        + "    failed_at       timestamptz NOT NULL,\n"
                        + "    CONSTRAINT " + n.local("dead_letters_pkey") + " PRIMARY KEY (projection, global_position)\n"
                        + ")");
    }
}
