package dev.eventsource.store.postgres.internal;

/**
 * The store's tables, named one way: readable ({@link PgNames}) or as SQL text ({@link PgNames.Sql});
 * the list of tables is written once, here.
 *
 * <pre>{@code
 * PgTables readable = new PgNames("order", "es_");   // readable.events(): order.es_events
 * PgTables sql = readable.sql();                     // sql.events(): "order".es_events
 * }</pre>
 */
public interface PgTables {

    /** The qualified name of the table {@code prefix + name}. */
    String table(String name);

    /** The events table. */
    default String events() {
        return table("events");
    }

    /** The snapshots table. */
    default String snapshots() {
        return table("snapshots");
    }

    /** The checkpoints table. */
    default String checkpoints() {
        return table("checkpoints");
    }

    /** The dead letters table. */
    default String deadLetters() {
        return table("dead_letters");
    }

    /** The one-row table holding the last position given out: its row lock orders appends. */
    default String logHead() {
        return table("log_head");
    }

    /** Who holds each partition of each asynchronous projection, at which fencing epoch, until when. */
    default String leases() {
        return table("projection_leases");
    }

    /** The instances running each asynchronous projection, each until its membership runs out. */
    default String members() {
        return table("projection_members");
    }

    /** The (stream type, event type, version) combinations appended so far (see {@code StoredEventTypes}). */
    default String eventTypes() {
        return table("event_types");
    }

    /** The schema version table. */
    default String schemaVersion() {
        return table("schema_version");
    }
}

