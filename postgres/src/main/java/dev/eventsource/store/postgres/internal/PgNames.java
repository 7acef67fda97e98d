package dev.eventsource.store.postgres.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The validated names a store uses: schema, table prefix, qualified table names, the notification
 * channel and the advisory lock keys. Identifiers are checked against a strict pattern (lower-case
 * letters, digits, underscores); values are never spliced into SQL. The accessors on this record
 * give the readable names, for messages ({@code order.es_events}); {@link #sql()} gives the same
 * names as SQL text, with the schema quoted ({@code "order".es_events}), because a valid schema
 * name may be a reserved word ({@code order}, {@code user}, {@code select}). Table, index and
 * constraint names need no quotes: each ends in a fixed suffix ({@code events}, {@code _pkey}, ...)
 * and none of those is a keyword.
 *
 * <pre>{@code
 * PgNames names = new PgNames("order", "es_");
 * names.events();         // "order.es_events", for messages
 * names.sql().events();   // "\"order\".es_events", for SQL
 * }</pre>
 *
 * @param schema the schema holding the tables
 * @param prefix prepended to every table, index and constraint name; may be empty
 */
public record PgNames(String schema, String prefix) implements PgTables {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,29}");
    private static final Pattern PREFIX = Pattern.compile("([a-z_][a-z0-9_]{0,19})?");

    /** Rejects names that are not plain lower-case SQL identifiers of a safe length. */
    public PgNames {
        if (schema == null || !SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must match " + SCHEMA.pattern()
                    + " (lower-case letters, digits, underscores; at most 30 characters): " + quoted(schema));
        }
        if (schema.startsWith("pg_")) {
            throw new IllegalArgumentException("schema must not start with pg_ (reserved for PostgreSQL's own schemas): '"
                    + schema + "'");
        }
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("table prefix must match " + PREFIX.pattern()
                    + " (lower-case letters, digits, underscores; at most 20 characters; may be empty): " + quoted(prefix));
        }
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    /** {@code schema.prefix + name}, a table's readable name (for messages; {@link Sql#table} for SQL). */
    @Override
    public String table(String name) {
        return schema + "." + prefix + name;
    }

    /** These names as SQL text: the schema quoted. */
    public Sql sql() {
        return new Sql(this);
    }

    /** An index or constraint name: unqualified, prefixed. */
    public String local(String name) {
        return prefix + name;
    }

    /** The query for the highest position readers can see ({@code 0} for an empty log). */
    public String headQuery() {
        return "SELECT coalesce(max(position), 0) FROM " + sql().events();
    }

    /**
     * The LISTEN/NOTIFY channel of this store's appends, as {@code pg_notify} takes it (a string;
     * an identifier of at most 57 characters); {@link Sql#channel} for {@code LISTEN}.
     */
    public String channel() {
        return schema + "_" + prefix + "events";
    }

    /** Advisory lock key serializing schema migrations. */
    public long migrationLockKey() {
        return key("migrate");
    }

    /**
     * A stable 64-bit FNV-1a hash of the purpose and the readable table names: the same in every
     * process and in every release (so it must not follow how the SQL spells them).
     */
    private long key(String purpose) {
        long h = 0xcbf29ce484222325L;
        for (byte b : ("eventsource:" + purpose + ":" + events()).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * The names of a {@link PgNames} as SQL text: the schema as a quoted identifier, so that any
     * schema name that passed validation, reserved words included, works in every statement.
     *
     * @param names the validated names
     */
    public record Sql(PgNames names) implements PgTables {

        /** {@code "schema"}: the schema as a quoted identifier, for {@code CREATE SCHEMA} and {@code to_regnamespace}. */
        public String schema() {
            return '"' + names.schema() + '"';
        }

        /** {@code "schema".prefix + name}: a table, qualified, for SQL and {@code to_regclass}. */
        @Override
        public String table(String name) {
            return schema() + "." + names.prefix() + name;
        }

        /** The notification channel as a quoted identifier, for {@code LISTEN}. */
        public String channel() {
            return '"' + names.channel() + '"';
        }
    }
}
