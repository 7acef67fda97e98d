package dev.eventsource.store.postgres.internal;

import dev.eventsource.store.NewEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The SQL of an append, built once per row count and cached. Every statement is "append these rows
 * to stream S if its version is still E", checked and inserted in one statement:
 *
 * <pre>{@code
 * INSERT INTO events (position, stream_type, stream_id, version, event_id, ...)
 * SELECT h.head + v.ord, ?, ?, ? + v.ord, v.event_id, ...
 * FROM (VALUES (1, ?::uuid, ...), (2, ...)) AS v(ord, event_id, ...),
 *      (SELECT coalesce(max(position), 0) AS head FROM events) AS h
 * WHERE (SELECT coalesce(max(version), 0) FROM events WHERE stream_type = ? AND stream_id = ?) = ?
 * }</pre>
 *
 * It must run while the transaction holds the append lock (see {@link Appender}); then
 * {@code max(position)} and {@code max(version)} are exact and positions are dense and
 * commit-ordered. Identifiers come from {@link PgNames} (validated); every value is a bind parameter.
 *
 * <p>Thread-safe: the caches are {@link AtomicReferenceArray}s of immutable strings.
 */
final class AppendSql {

    /** Most rows in one statement: 7 parameters a row stays far below the protocol's 65,535. */
    static final int MAX_ROWS = 500;

    private static final String ROW = "::uuid, ?::text, ?::integer, ?::timestamptz, ?::bytea, ?::json)";

    /** The generated key of an insert: its rows' positions, in insertion order. */
    static final String[] RETURNING = {"position"};

    private final PgNames names;
    private final boolean notify;
    private final AtomicReferenceArray<String> inserts = new AtomicReferenceArray<>(MAX_ROWS + 1);
    /** Takes the append lock; with notifications also queues the {@code NOTIFY}, which PostgreSQL sends on commit. */
    final String lock;
    final String streamVersion;

    AppendSql(PgNames names, boolean notify) {
        this.names = names;
        this.notify = notify;
        this.lock = notify ? "SELECT pg_advisory_xact_lock(?), pg_notify(?, '')" : "SELECT pg_advisory_xact_lock(?)";
        this.streamVersion = "SELECT coalesce(max(version), 0) FROM " + names.events() + " WHERE stream_type = ? AND stream_id = ?";
    }

    /** Whether {@link #lock} takes the channel as its second parameter. */
    boolean notifies() {
        return notify;
    }

    /** The conditional insert of {@code rows} rows: update count {@code rows}, or 0 when the version did not match. */
    String insert(int rows) {
        String sql = inserts.get(rows);
        if (sql == null) {
            sql = buildInsert(rows);
            inserts.set(rows, sql);
        }
        return sql;
    }

    private String buildInsert(int rows) {
        StringBuilder sb = new StringBuilder(256 + rows * 80);
        sb.append("INSERT INTO ").append(names.events())
                .append(" (position, stream_type, stream_id, version, event_id, event_type, event_version, recorded_at, payload, metadata)\n")
                .append("SELECT h.head + v.ord, ?, ?, ? + v.ord, v.event_id, v.event_type, v.event_version, v.recorded_at, v.payload, v.metadata\n")
                .append("FROM (VALUES ");
        for (int i = 1; i <= rows; i++) {
            sb.append(i == 1 ? "" : ", ").append('(').append(i).append(", ?").append(ROW);
        }
        sb.append(") AS v(ord, event_id, event_type, event_version, recorded_at, payload, metadata),\n")
                .append("     (SELECT coalesce(max(position), 0) AS head FROM ").append(names.events()).append(") AS h\n")
                .append("WHERE (SELECT coalesce(max(version), 0) FROM ").append(names.events())
                .append(" WHERE stream_type = ? AND stream_id = ?) = ?");
        return sb.toString();
    }

    /**
     * Binds an insert from {@link #insert}: {@code rows} events starting at {@code from}, appended at
     * version {@code expected}; returns the next parameter index.
     */
    int bind(PreparedStatement ps, String streamType, String streamId, long expected, List<NewEvent> events, int from, int rows)
            throws SQLException {
        int i = 1;
        ps.setString(i++, streamType);
        ps.setString(i++, streamId);
        ps.setLong(i++, expected);
        for (int k = from; k < from + rows; k++) {
            NewEvent e = events.get(k);
            ps.setObject(i++, e.eventId());
            ps.setString(i++, e.eventType());
            ps.setInt(i++, e.eventVersion());
            ps.setObject(i++, OffsetDateTime.ofInstant(e.timestamp(), ZoneOffset.UTC));
            ps.setBytes(i++, e.payload());
            String metadata = MetadataJson.write(e.metadata());
            if (metadata == null) {
                ps.setNull(i++, Types.VARCHAR);
            } else {
                ps.setString(i++, metadata);
            }
        }
        ps.setString(i++, streamType);
        ps.setString(i++, streamId);
        ps.setLong(i++, expected);
        return i;
    }
}
