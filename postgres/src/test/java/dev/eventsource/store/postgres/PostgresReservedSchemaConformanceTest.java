package dev.eventsource.store.postgres;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStoreConformance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the store conformance suite (TCK) against {@link PostgresStore} in a schema named by a reserved word, {@code user}: every statement quotes it. */
class PostgresReservedSchemaConformanceTest extends EventStoreConformance {

    private static final String SCHEMA = "user";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 10);

    @Override
    protected EventStore createStore() {
        return PostgresStore.builder(db.dataSource()).schema(SCHEMA).build();   // the TCK closes it after each test
    }
}
