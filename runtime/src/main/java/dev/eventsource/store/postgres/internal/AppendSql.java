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
 * The SQL of an append, built once per row count and cached. One statement checks the stream's
 * version, takes positions from the log head counter (locking its row until commit) and inserts:
 *
 * <pre>{@code
 * WITH chk AS (SELECT (SELECT coalesce(max(version), 0) FROM events
 *                      WHERE stream_type = ? AND stream_id = ?) = ? AS ok),
 *      h AS (UPDATE log_head SET position = greatest(position, (SELECT coalesce(max(position), 0) FROM events)) + ?
 *            WHERE id AND (SELECT ok FROM chk)
 *            RETURNING position - ? AS base, pg_notify(?, '')::text AS notified)
 * INSERT INTO events (position, stream_type, stream_id, version, event_id, ...)
 * SELECT h.base + v.ord, ?, ?, ? + v.ord, v.event_id, ...
 * FROM (VALUES (1, ?::uuid, ...), (2, ...)) AS v(ord, event_id, ...), h
 * }</pre>
 *
 * <p>If the version does not match, nothing is updated or inserted (update count 0). The counter's
 * {@code UPDATE} waits for the row lock of a concurrent append and then, in {@code READ COMMITTED},
 * re-reads the row as that append committed it, so positions increase in commit order (see
 * {@link Appender}). The version check reads the statement's snapshot, taken before that wait: an
 * append to the same stream that committed during the wait is caught by the unique key on
 * {@code (stream_type, stream_id, version)} instead. {@code greatest(..., max(position))} keeps the
 * counter right even if rows were inserted without it. Identifiers come from {@link PgNames}
 * (validated); every value is a bind parameter.
 *
 * <p>Thread-safe: the cache is an {@link AtomicReferenceArray} of immutable strings.
 */
final class AppendSql {

    /** Most rows in one statement: 6 parameters a row stays far below the protocol's 65,535. */
    static final int MAX_ROWS = 500;

    /** The generated key of an insert: its rows' positions. */
    static final String[] RETURNING = {"position"};

    private static final String ROW = "::uuid, ?::text, ?::integer, ?::timestamptz, ?::bytea, ?::json)";

    private final PgNames names;
    private final boolean notify;
    private final AtomicReferenceArray<String> inserts = new AtomicReferenceArray<>(MAX_ROWS + 1);
    final String streamVersion;

    AppendSql(PgNames names, boolean notify) {
        this.names = names;
        this.notify = notify;
        this.streamVersion = "SELECT coalesce(max(version), 0) FROM " + names.events() + " WHERE stream_type = ? AND stream_id = ?";
    }

    /** The conditional append of {@code rows} rows: update count {@code rows}, or 0 when the version did not match. */
    String insert(int rows) {
        String sql = inserts.get(rows);
        if (sql == null) {
            sql = build(rows);
            inserts.set(rows, sql);
        }
        return sql;
    }

    private String build(int rows) {
        String events = names.events();
        StringBuilder sb = new StringBuilder(640 + rows * 80);
        sb.append("WITH chk AS (SELECT (SELECT coalesce(max(version), 0) FROM ").append(events)
                .append(" WHERE stream_type = ? AND stream_id = ?) = ? AS ok),\n")
                .append("h AS (UPDATE ").append(names.logHead())
                .append(" SET position = greatest(position, (SELECT coalesce(max(position), 0) FROM ").append(events).append(")) + ?")
                .append(" WHERE id AND (SELECT ok FROM chk)\n")
                .append("      RETURNING position - ? AS base")
                // NOTIFY is queued here, only when the version matched, and delivered only if the transaction commits.
                .append(notify ? ", pg_notify(?, '')::text AS notified)\n" : ")\n")
                .append("INSERT INTO ").append(events)
                .append(" (position, stream_type, stream_id, version, event_id, event_type, event_version, recorded_at, payload, metadata)\n")
                .append("SELECT h.base + v.ord, ?, ?, ? + v.ord, v.event_id, v.event_type, v.event_version, v.recorded_at, v.payload, v.metadata\n")
                .append("FROM (VALUES ");
        for (int i = 1; i <= rows; i++) {
            sb.append(i == 1 ? "" : ", ").append('(').append(i).append(", ?").append(ROW);
        }
        sb.append(") AS v(ord, event_id, event_type, event_version, recorded_at, payload, metadata), h");
        return sb.toString();
    }

    /**
     * Binds an insert from {@link #insert}: {@code rows} events starting at {@code from}, appended at
     * version {@code expected}.
     */
    void bind(PreparedStatement ps, String streamType, String streamId, long expected, List<NewEvent> events, int from, int rows)
            throws SQLException {
        int i = 1;
        ps.setString(i++, streamType);
        ps.setString(i++, streamId);
        ps.setLong(i++, expected);
        ps.setLong(i++, rows);
        ps.setLong(i++, rows);
        if (notify) {
            ps.setString(i++, names.channel());
        }
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
    }
}
