package dev.eventsource.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStoreConformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Runs the store conformance suite (TCK) against {@link PostgresStore}, in its own schema. */
class PostgresStoreConformanceTest extends EventStoreConformance {

    private static final String SCHEMA = "es_t_conformance";
    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = PgTestDatabase.freshSchema(SCHEMA, 10);
        PgTestDatabase.forbidEventChanges(PostgresStore.builder(dataSource).schema(SCHEMA).build());
    }

    @AfterAll
    static void closePool() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    protected EventStore createStore() {
        return PostgresStore.builder(dataSource).schema(SCHEMA).build();
    }
}
