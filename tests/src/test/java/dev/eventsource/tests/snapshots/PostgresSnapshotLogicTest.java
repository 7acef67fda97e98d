package dev.eventsource.tests.snapshots;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.postgres.PgSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SnapshotLogicContract} on PostgreSQL: release 2 reads the snapshot row release 1 wrote. */
class PostgresSnapshotLogicTest extends SnapshotLogicContract {

    @RegisterExtension
    static final PgSchema db = new PgSchema("es_t_snapshot_logic", 4);

    @Override
    EventStore store() {
        return db.store();
    }
}
