package dev.eventsource.tests.evolution;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.postgres.PgSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WiderTypesContract} on PostgreSQL: payloads and snapshots as stored rows. */
class PostgresWiderTypesTest extends WiderTypesContract {

    @RegisterExtension
    static final PgSchema db = new PgSchema("es_t_wider_types", 4);

    @Override
    EventStore store() {
        return db.store();
    }
}
