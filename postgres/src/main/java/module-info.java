/**
 * The PostgreSQL event store ({@code dev.eventsource.store.postgres.PostgresStore}); its
 * {@code internal} package is not exported. The driver is the application's choice of version:
 * the module reads {@code org.postgresql.jdbc} when it is present (for LISTEN/NOTIFY) and polls
 * otherwise.
 */
module dev.eventsource.store.postgres {
    requires transitive dev.eventsource;
    requires transitive java.sql;
    requires static org.postgresql.jdbc;
    requires org.slf4j;

    exports dev.eventsource.store.postgres;
}
