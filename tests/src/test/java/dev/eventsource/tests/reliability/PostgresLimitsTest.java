package dev.eventsource.tests.reliability;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.postgres.PgSchema;
import dev.eventsource.store.postgres.PostgresStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LimitsContract} on PostgreSQL: what its text columns and driver do to text is part of what is tested. */
class PostgresLimitsTest extends LimitsContract {

    @RegisterExtension
    static final PgSchema db = new PgSchema("es_t_limits", 4);

    private static PostgresStore store;

    @BeforeAll
    static void createStore() {
        store = db.store();
    }

    @Override
    EventStore store() {
        return store;
    }
}
