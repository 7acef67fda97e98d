/**
 * The PostgreSQL event store: {@link dev.eventsource.store.postgres.PostgresStore}, plain JDBC over a
 * {@link javax.sql.DataSource} the application provides (with the PostgreSQL driver on its class
 * path). Schema, gap-free positions, tuning and operations are described in {@code docs/postgres.md}.
 */
package dev.eventsource.store.postgres;
