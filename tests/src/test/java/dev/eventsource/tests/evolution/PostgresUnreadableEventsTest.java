package dev.eventsource.tests.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.Engine;
import dev.eventsource.UnreadableEventsException;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.StoredEventType;
import dev.eventsource.store.postgres.PgSchema;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import dev.eventsource.tests.bank.BankAccount;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link UnreadableEventsContract} on PostgreSQL, each test on tables of its own prefix; and the
 * check reads the small event types table, not the log.
 */
class PostgresUnreadableEventsTest extends UnreadableEventsContract {

    private static final String SCHEMA = "es_t_unreadable";
    private static final AtomicInteger TABLES = new AtomicInteger();
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 4);

    private String prefix;

    @Override
    EventStore store() {
        prefix = "u" + TABLES.incrementAndGet() + "_";
        return db.store(b -> b.tablePrefix(prefix));
    }

    @Test
    void theCheckReadsTheEventTypesTableNotTheLog() {
        PostgresStore store = (PostgresStore) store();
        appendReadable(store);
        PgTestDatabase.execute("INSERT INTO " + SCHEMA + "." + prefix + "event_types (stream_type, event_type, event_version)"
                + " VALUES ('bank-account', 'bank.Deposited', 7)");    // a row only: no event has it

        try (Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(BankAccount.class);
            assertThatThrownBy(engine::start).isInstanceOfSatisfying(UnreadableEventsException.class, e ->
                    assertThat(e.unreadable()).containsExactly(new StoredEventType("bank-account", "bank.Deposited", 7)));
        }
    }
}
