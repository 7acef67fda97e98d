package dev.eventsource.store.postgres.internal;

import dev.eventsource.store.CommandIds;
import dev.eventsource.store.NewEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The SQL of appends. Each statement checks the expected versions, takes positions from the log
 * head counter (locking its row until commit) for the requests that match, and inserts their events,
 * all at once; it runs in auto-commit mode, so it is one round trip and one transaction. There are
 * two forms of the same statement:
 *
 * <ul>
 *   <li>{@link #lone}: one request, its events as {@code VALUES} rows, one text per row count (cached).
 *       The cheapest for the server to start (in pgbench, 0.61-0.73x a plain single-row insert: the
 *       idempotency index, the log head and the version probe cost the rest; docs/benchmarks.md).
 *   <li>{@link #group}: any number of requests and events, every value in an array parameter, so the
 *       text never changes and the server plans it once. Group commit sends a whole batch with it.
 * </ul>
 *
 * <pre>{@code
 * WITH p AS MATERIALIZED (SELECT ?::text[] AS stream_types, ...),  -- hides the arrays' lengths: one generic plan
 *      req AS MATERIALIZED (                                       -- each request: does its version match?
 *        SELECT q.r, (SELECT e.version FROM events e WHERE e.stream_type = q.stream_type AND e.stream_id = q.stream_id
 *                                                      AND e.version = q.expected + 1) IS NULL
 *                    AND (q.expected = 0 OR (SELECT e.version FROM events e WHERE ... AND e.version = q.expected) IS NOT NULL) AS ok
 *        FROM p, unnest(p.stream_types, p.stream_ids, p.expected) WITH ORDINALITY AS q(stream_type, stream_id, expected, r)),
 *      h AS (UPDATE log_head SET position = position + (SELECT cardinality(event_ids) FROM p)
 *            WHERE id AND EXISTS (SELECT FROM p WHERE NOT EXISTS (SELECT FROM req WHERE NOT ok))
 *            RETURNING position - (SELECT cardinality(event_ids) FROM p) AS base, pg_notify(?, '')::text AS notified),
 *      ins AS (INSERT INTO events (position, stream_type, stream_id, version, event_id, ...)
 *              SELECT h.base + v.i, v.stream_type, v.stream_id, v.version, v.event_id, ...
 *              FROM p, unnest(p.row_stream_types, p.row_stream_ids, p.row_versions, p.event_ids, ...) WITH ORDINALITY AS v(..., i)
 *              CROSS JOIN h)
 * SELECT (SELECT base FROM h), array(SELECT r FROM req WHERE NOT ok ORDER BY r)
 * }</pre>
 *
 * <p>The group form is all or nothing: if every request's version matches it stores every event,
 * in batch order, and returns the base (the events take the positions after it, the versions the
 * client computed); otherwise it stores nothing and returns the requests (from 1) that did not
 * match, and {@link Appender} sends the others again without them. A conflict is the rare case, and
 * this keeps the statement free of windows and joins, which cost more to start than the rest. The
 * lone form returns an update count (0 when the version does not match) and the positions as
 * generated keys. A request that does not match gets no position and no notification. Versions are
 * dense, so "the stream is at version {@code e}" is two probes of the unique key (version {@code e +
 * 1} absent, version {@code e} present unless {@code e} is 0); a {@code max(version)} scan would read
 * a whole index page of a long stream.
 *
 * <p>The version checks read the statement's snapshot, taken before the log head's row lock is
 * waited for: an append to the same stream that another process commits during that wait is caught
 * by the unique key on {@code (stream_type, stream_id, version)}, which fails the statement (see
 * {@link Appender}). For the same reason two requests of one group must not append to the same
 * stream. The counter is trusted: reading {@code max(position)} in every statement as well cost a
 * tenth of a lone append (pgbench). If rows were inserted without it (a restore or an import that
 * left the counter behind), an append collides with them on the primary key, and {@link Appender}
 * brings the counter up with {@link #repairHead} and sends the append again. Identifiers come from
 * {@link PgNames} (validated); every value is a bind parameter.
 * Timestamps travel as microseconds since the epoch ({@code timestamptz} keeps microseconds),
 * rounded half up.
 *
 * <p>Thread-safe: the cache is an {@link AtomicReferenceArray} of immutable strings.
 */
final class AppendSql {

    /** Most events the lone form takes (6 parameters a row stays far below the protocol's 65,535); more go as a group of one. */
    static final int MAX_LONE_ROWS = 500;

    /** The generated key of the lone form: its rows' positions. */
    static final String[] RETURNING = {"position"};

    private static final String COLUMNS = "(position, stream_type, stream_id, version, event_id, event_type, event_version,"
            + " recorded_at, payload, metadata, command_id)";
    private static final String ROW = "::uuid, ?::text, ?::integer, ?::bigint, ?::bytea, ?::json, ?::text)";

    private final PgNames names;
    private final boolean notify;
    private final AtomicReferenceArray<String> lones = new AtomicReferenceArray<>(MAX_LONE_ROWS + 1);
    final String group;
    final String streamVersion;
    /** The version of the first event a command appended to a stream (the partial unique index of migration 5). */
    final String commandVersion;
    /**
     * Moves the log head up to the largest stored position, never down: {@code greatest} is evaluated
     * again on the row version a concurrent append committed, after waiting for its lock.
     */
    final String repairHead;

    AppendSql(PgNames names, boolean notify) {
        this.names = names;
        this.notify = notify;
        this.group = "WITH p AS MATERIALIZED (\n"
                + "       SELECT ?::text[] AS stream_types, ?::text[] AS stream_ids, ?::bigint[] AS expected,\n"
                + "              ?::text[] AS row_stream_types, ?::text[] AS row_stream_ids, ?::bigint[] AS row_versions,"
                + " ?::uuid[] AS event_ids, ?::text[] AS event_types,\n"
                + "              ?::integer[] AS event_versions, ?::bigint[] AS micros, ?::bytea[] AS payloads, ?::text[] AS metadata,"
                + " ?::text[] AS command_ids),\n"
                + "     req AS MATERIALIZED (\n"
                + "       SELECT q.r, " + versionMatches("q") + " AS ok\n"
                + "       FROM p, unnest(p.stream_types, p.stream_ids, p.expected) WITH ORDINALITY AS q(stream_type, stream_id, expected, r)),\n"
                + "     h AS (\n"
                + "       " + takePositions("(SELECT cardinality(event_ids) FROM p)", "p WHERE NOT EXISTS (SELECT FROM req WHERE NOT ok)") + "),\n"
                + "     ins AS (\n"
                + "       INSERT INTO " + names.sql().events() + " " + COLUMNS + "\n"
                + "       SELECT h.base + v.i, v.stream_type, v.stream_id, v.version, v.event_id, v.event_type, v.event_version,"
                + " timestamptz 'epoch' + v.micros * interval '1 microsecond', v.payload, v.metadata::json, v.command_id\n"
                + "       FROM p, unnest(p.row_stream_types, p.row_stream_ids, p.row_versions, p.event_ids, p.event_types, p.event_versions,"
                + " p.micros, p.payloads, p.metadata, p.command_ids)"
                + " WITH ORDINALITY AS v(stream_type, stream_id, version, event_id, event_type, event_version, micros, payload, metadata,"
                + " command_id, i)"
                + " CROSS JOIN h)\n"
                + "SELECT (SELECT base FROM h), array(SELECT r FROM req WHERE NOT ok ORDER BY r)";
        this.streamVersion = "SELECT coalesce(max(version), 0) FROM " + names.sql().events() + " WHERE stream_type = ? AND stream_id = ?";
        this.repairHead = "UPDATE " + names.sql().logHead() + " SET position = greatest(position, (SELECT coalesce(max(position), 0) FROM "
                + names.sql().events() + ")) WHERE id";
        this.commandVersion = "SELECT version FROM " + names.sql().events()
                + " WHERE stream_type = ? AND stream_id = ? AND command_id = ? AND command_id IS NOT NULL";
    }

    /**
     * The condition "stream ({@code alias}.stream_type, {@code alias}.stream_id) is at version
     * {@code alias}.expected". Scalar subqueries, not {@code EXISTS}: those would become joins, planned
     * for a guessed number of requests.
     */
    private String versionMatches(String alias) {
        String sameStream = " e WHERE e.stream_type = " + alias + ".stream_type AND e.stream_id = " + alias + ".stream_id AND e.version = ";
        return "(SELECT e.version FROM " + names.sql().events() + sameStream + alias + ".expected + 1) IS NULL\n"
                + "         AND (" + alias + ".expected = 0 OR (SELECT e.version FROM " + names.sql().events() + sameStream + alias
                + ".expected) IS NOT NULL)";
    }

    /** The log head update that takes {@code count} positions if {@code accepted} has a row; returns {@code base}. */
    private String takePositions(String count, String accepted) {
        return "UPDATE " + names.sql().logHead() + " SET position = position + " + count + "\n"
                + "       WHERE id AND EXISTS (SELECT FROM " + accepted + ")\n"
                // NOTIFY is queued here, only when something is appended, and delivered only if the transaction commits.
                + "       RETURNING position - " + count + " AS base" + (notify ? ", pg_notify(?, '')::text AS notified" : "");
    }

    /** The lone form for {@code rows} events ({@code 1..MAX_LONE_ROWS}): update count {@code rows}, or 0 when the version did not match. */
    String lone(int rows) {
        String sql = lones.get(rows);
        if (sql == null) {
            StringBuilder sb = new StringBuilder(1200 + rows * 72)
                    .append("WITH s AS (SELECT ?::text AS stream_type, ?::text AS stream_id, ?::bigint AS expected),\n")
                    .append("     ok AS MATERIALIZED (SELECT s.stream_type, s.stream_id, s.expected FROM s\n")
                    .append("       WHERE ").append(versionMatches("s")).append("),\n")
                    .append("     h AS (\n       ").append(takePositions(Integer.toString(rows), "ok")).append(")\n")
                    .append("INSERT INTO ").append(names.sql().events()).append(' ').append(COLUMNS).append('\n')
                    .append("SELECT h.base + v.ord, ok.stream_type, ok.stream_id, ok.expected + v.ord, v.event_id, v.event_type,")
                    .append(" v.event_version, timestamptz 'epoch' + v.micros * interval '1 microsecond', v.payload, v.metadata,")
                    .append(" v.command_id\n")
                    .append("FROM (VALUES ");
            for (int i = 1; i <= rows; i++) {
                sb.append(i == 1 ? "" : ", ").append('(').append(i).append(", ?").append(ROW);
            }
            sql = sb.append(") AS v(ord, event_id, event_type, event_version, micros, payload, metadata, command_id), ok, h")
                    .toString();
            lones.set(rows, sql);
        }
        return sql;
    }

    /** What the statements need of one request. */
    interface Part {
        String streamType();

        String streamId();

        long expected();

        List<NewEvent> events();
    }

    /** Binds {@link #lone} for {@code p}. */
    void bindLone(PreparedStatement ps, Part p) throws SQLException {
        int i = 1;
        ps.setString(i++, p.streamType());
        ps.setString(i++, p.streamId());
        ps.setLong(i++, p.expected());
        if (notify) {
            ps.setString(i++, names.channel());
        }
        List<NewEvent> events = p.events();
        for (int k = 0; k < events.size(); k++) {
            NewEvent e = events.get(k);
            ps.setObject(i++, e.eventId());
            ps.setString(i++, e.eventType());
            ps.setInt(i++, e.eventVersion());
            ps.setLong(i++, micros(e.timestamp()));
            ps.setBytes(i++, e.payload());
            String metadata = MetadataJson.write(e.metadata());
            if (metadata == null) {
                ps.setNull(i++, Types.VARCHAR);
            } else {
                ps.setString(i++, metadata);
            }
            String commandId = CommandIds.startedBy(events, k);
            if (commandId == null) {
                ps.setNull(i++, Types.VARCHAR);
            } else {
                ps.setString(i++, commandId);
            }
        }
    }

    /**
     * The command ids a request's events start ({@link CommandIds#startedBy}), each kept with the
     * command's first event only (see the unique index of migration 5); for failure paths.
     */
    static List<String> commandIds(Part p) {
        List<String> ids = new ArrayList<>(1);
        for (int k = 0; k < p.events().size(); k++) {
            String id = CommandIds.startedBy(p.events(), k);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Binds {@link #group} for {@code batch}: request {@code k} of the batch is {@code r = k + 1} in the result. */
    void bindGroup(Connection c, PreparedStatement ps, List<? extends Part> batch) throws SQLException {
        int requests = batch.size();
        int rows = 0;
        for (Part p : batch) {
            rows += p.events().size();
        }
        String[] streamTypes = new String[requests];
        String[] streamIds = new String[requests];
        Long[] expected = new Long[requests];
        String[] rowStreamTypes = new String[rows];
        String[] rowStreamIds = new String[rows];
        Long[] rowVersions = new Long[rows];
        UUID[] eventIds = new UUID[rows];
        String[] eventTypes = new String[rows];
        Integer[] eventVersions = new Integer[rows];
        Long[] micros = new Long[rows];
        byte[][] payloads = new byte[rows][];
        String[] metadata = new String[rows];
        String[] commandIds = new String[rows];
        int row = 0;
        for (int k = 0; k < requests; k++) {
            Part p = batch.get(k);
            streamTypes[k] = p.streamType();
            streamIds[k] = p.streamId();
            expected[k] = p.expected();
            long version = p.expected();
            List<NewEvent> events = p.events();
            for (int j = 0; j < events.size(); j++) {
                NewEvent e = events.get(j);
                commandIds[row] = CommandIds.startedBy(events, j);   // a command's first row; the others stay null
                rowStreamTypes[row] = p.streamType();
                rowStreamIds[row] = p.streamId();
                rowVersions[row] = ++version;
                eventIds[row] = e.eventId();
                eventTypes[row] = e.eventType();
                eventVersions[row] = e.eventVersion();
                micros[row] = micros(e.timestamp());
                payloads[row] = e.payload();
                metadata[row] = MetadataJson.write(e.metadata());
                row++;
            }
        }
        int i = 1;
        ps.setArray(i++, c.createArrayOf("text", streamTypes));
        ps.setArray(i++, c.createArrayOf("text", streamIds));
        ps.setArray(i++, c.createArrayOf("int8", expected));
        ps.setArray(i++, c.createArrayOf("text", rowStreamTypes));
        ps.setArray(i++, c.createArrayOf("text", rowStreamIds));
        ps.setArray(i++, c.createArrayOf("int8", rowVersions));
        ps.setArray(i++, c.createArrayOf("uuid", eventIds));
        ps.setArray(i++, c.createArrayOf("text", eventTypes));
        ps.setArray(i++, c.createArrayOf("int4", eventVersions));
        ps.setArray(i++, c.createArrayOf("int8", micros));
        ps.setArray(i++, c.createArrayOf("bytea", payloads));
        ps.setArray(i++, c.createArrayOf("text", metadata));
        ps.setArray(i++, c.createArrayOf("text", commandIds));
        if (notify) {
            ps.setString(i, names.channel());
        }
    }

    /** Microseconds since the epoch, rounded half up. */
    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), (t.getNano() + 500) / 1000);
    }
}
