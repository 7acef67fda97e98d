package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.Lease;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The database goes away while the store is in use (simulated without disturbing other users of the
 * server: the store's own backends are terminated with {@code pg_terminate_backend} and new
 * connections are refused), then comes back.
 */
class PostgresOutageTest {

    private static final String SCHEMA = "es_t_outage";

    @Test
    void operationsFailNamingWhatTheyWereDoingAndWorkAgainWhenTheServerIsBack() throws Exception {
        try (HikariDataSource pool = PgTestDatabase.freshSchema(SCHEMA, 3)) {
            OutageDataSource outage = new OutageDataSource(pool);
            try (PostgresStore store = PostgresStore.builder(outage).schema(SCHEMA).pollInterval(Duration.ofMillis(100)).build()) {
                store.append("Order", "o1", 0, List.of(event("A", "{}")));
                Semaphore wakes = new Semaphore(0);
                store.onAppend(wakes::release);
                Thread.sleep(200);

                outage.down = true;
                assertThat(PgTestDatabase.killConnections(SCHEMA)).isPositive();

                assertThatThrownBy(() -> store.append("Order", "o1", 1, List.of(event("B", "{}"))))
                        .isInstanceOf(StoreException.class).hasMessageContaining("append 1 event to Order/o1 at version 1")
                        .hasMessageContaining("refused");
                assertThatThrownBy(() -> store.readLog(0, 10)).isInstanceOf(StoreException.class)
                        .hasMessageContaining("global log after position 0");
                assertThatThrownBy(() -> store.readStream("Order", "o1", 0, e -> { })).isInstanceOf(StoreException.class)
                        .hasMessageContaining("stream Order/o1");
                assertThatThrownBy(() -> store.saveCheckpoint("summary", 1, 5)).isInstanceOf(StoreException.class)
                        .hasMessageContaining("checkpoint 5 of projection summary partition 1");
                assertThatThrownBy(() -> store.inTransaction("summary", 1, 5, tx -> { })).isInstanceOf(StoreException.class)
                        .hasMessageContaining("summary");
                Lease lease = new Lease("summary", 1, "web-1", 1, null, null);
                assertThatThrownBy(() -> store.heartbeat("summary", 2, "web-1", Duration.ofSeconds(10)))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("renew the membership and leases of instance web-1 on projection summary");
                assertThatThrownBy(() -> store.claim("summary", 2, "web-1", 1, Duration.ofSeconds(10)))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("claim up to 1 of the 2 partitions of projection summary for instance web-1");
                assertThatThrownBy(() -> store.saveCheckpoint(lease, 5)).isInstanceOf(StoreException.class)
                        .isNotInstanceOf(LeaseLostException.class).hasMessageContaining("checkpoint 5 of projection summary partition 1");
                assertThatThrownBy(() -> store.release(lease)).isInstanceOf(StoreException.class)
                        .hasMessageContaining("release partition 1 of projection summary (instance web-1, epoch 1)");
                assertThatThrownBy(store::headPosition).isInstanceOf(StoreException.class).hasMessageContaining("head position");
                Thread.sleep(700);                        // let the pool consider its idle connections stale

                outage.down = false;
                assertThat(OutageDataSource.eventually(() -> store.append("Order", "o1", 1, List.of(event("B", "{}")))).version()).isEqualTo(2);
                assertThat(store.readLog(0, 10)).hasSize(2);
                assertThat(store.headPosition()).isEqualTo(2);

                assertThat(wakes.tryAcquire(5, TimeUnit.SECONDS)).as("listener woke after reconnecting").isTrue();
                Thread.sleep(300);
                wakes.drainPermits();
                store.append("Order", "o1", 2, List.of(event("C", "{}")));
                assertThat(wakes.tryAcquire(5, TimeUnit.SECONDS)).as("listener hears commits again").isTrue();
            }
        }
    }

    @Test
    void anAppendWhoseConnectionTheServerEndsDuringTheStatementMayOrMayNotBeStored() throws Exception {
        String schema = SCHEMA + "_cut";
        try (HikariDataSource pool = PgTestDatabase.freshSchema(schema, 2);
                PostgresStore store = PostgresStore.builder(pool).schema(schema).build()) {
            store.migrate();
            store.append("Order", "warm", 0, List.of(event("A", "{}")));   // recorded: the next append of A is one auto-commit statement
            // Every insert into the events table sleeps, so the append is surely inside its statement when the
            // server ends its connection.
            PgTestDatabase.execute("CREATE FUNCTION " + schema + ".slow() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$",
                    "CREATE TRIGGER slow BEFORE INSERT ON " + store.eventsTable() + " FOR EACH ROW EXECUTE FUNCTION " + schema
                            + ".slow()");
            CompletableFuture<AppendResult> append =
                    CompletableFuture.supplyAsync(() -> store.append("Order", "o1", 0, List.of(event("A", "{}"))));
            for (long deadline = System.nanoTime() + 10_000_000_000L; PgTestDatabase.queryLong("SELECT count(*) FROM"
                    + " pg_stat_activity WHERE application_name = '" + schema + "' AND wait_event = 'PgSleep'") == 0; ) {
                assertThat(System.nanoTime()).as("the append reached its insert").isLessThan(deadline);
                Thread.sleep(10);
            }

            assertThat(PgTestDatabase.killConnections(schema)).isPositive();   // 57P01, as in a restart
            assertThatThrownBy(append::join).cause().isInstanceOf(StoreException.class)
                    .hasMessageContaining("append 1 event to Order/o1 at version 0")
                    .hasMessageContaining("may or may not be stored");

            PgTestDatabase.execute("DROP TRIGGER slow ON " + store.eventsTable());
            assertThat(store.append("Order", "o1", 0, List.of(event("A", "{}"))).version())
                    .as("this time it was not: the statement had not committed").isEqualTo(1);
        }
    }
}
