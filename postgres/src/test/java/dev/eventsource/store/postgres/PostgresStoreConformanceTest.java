package dev.eventsource.store.postgres;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStoreConformance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the store conformance suite (TCK) against {@link PostgresStore}, in its own schema. */
class PostgresStoreConformanceTest extends EventStoreConformance {

    private static final String SCHEMA = "es_t_conformance";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 10);

    @BeforeAll
    static void forbidChanges() {
        PgTestDatabase.forbidEventChanges(db.store());
    }

    @Override
    protected EventStore createStore() {
        return PostgresStore.builder(db.dataSource()).schema(SCHEMA).build();   // the TCK closes it after each test
    }
}
