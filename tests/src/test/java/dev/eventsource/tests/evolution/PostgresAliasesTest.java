package dev.eventsource.tests.evolution;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.postgres.PgSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AliasesContract} on PostgreSQL: the old names are rows written before the rename. */
class PostgresAliasesTest extends AliasesContract {

    @RegisterExtension
    static final PgSchema db = new PgSchema("es_t_aliases", 4);

    @Override
    EventStore store() {
        return db.store();
    }
}
