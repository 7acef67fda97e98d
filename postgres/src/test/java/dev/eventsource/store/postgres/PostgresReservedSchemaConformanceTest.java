package dev.eventsource.store.postgres;

import dev.eventsource.testing.StoreConformance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the store conformance suite (TCK, every role) against {@link PostgresStore} in a schema named by a reserved word, {@code user}: every statement quotes it. */
class PostgresReservedSchemaConformanceTest extends StoreConformance<PostgresStore> {

    private static final String SCHEMA = "user";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 10);

    @Override
    protected PostgresStore createStore() {
        return PostgresStore.builder(db.dataSource()).schema(SCHEMA).build();   // the TCK closes it after each test
    }
}
