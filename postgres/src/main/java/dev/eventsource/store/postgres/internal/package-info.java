/**
 * Internals of the PostgreSQL store: names and migrations, the append path (group commit under
 * the append lock) and the notification listener. Not API: may change in any release.
 */
package dev.eventsource.store.postgres.internal;
