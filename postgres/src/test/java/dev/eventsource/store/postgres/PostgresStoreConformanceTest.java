package dev.eventsource.store.postgres;

import dev.eventsource.testing.StoreConformance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the store conformance suite (TCK, every role) against {@link PostgresStore}, in its own schema. */
class PostgresStoreConformanceTest extends StoreConformance<PostgresStore> {

    private static final String SCHEMA = "es_t_conformance";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 10);

    @BeforeAll
    static void forbidChanges() {
        PgTestDatabase.forbidEventChanges(db.store());
    }

    @Override
    protected PostgresStore createStore() {
        return PostgresStore.builder(db.dataSource()).schema(SCHEMA).build();   // the TCK closes it after each test
    }
}
