package dev.eventsource.tests.evolution.shipping;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.postgres.PgSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link VersionsContract} on PostgreSQL: the old versions are rows an earlier release wrote. */
class PostgresVersionsTest extends VersionsContract {

    @RegisterExtension
    static final PgSchema db = new PgSchema("es_t_versions", 4);

    @Override
    protected EventStore store() {
        return db.store();
    }
}
