package dev.eventsource.tests.reliability;

import dev.eventsource.store.postgres.PgSchema;
import dev.eventsource.store.postgres.PostgresStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link IdempotencyContract} on PostgreSQL: the unique index of migration 5 decides, not a cache. */
class PostgresIdempotencyTest extends IdempotencyContract {

    @RegisterExtension
    static final PgSchema db = new PgSchema("es_t_idempotency", 12);

    private static PostgresStore store;

    @BeforeAll
    static void open() {
        store = db.store();
    }

    @Override
    PostgresStore store() {
        return store;
    }
}
