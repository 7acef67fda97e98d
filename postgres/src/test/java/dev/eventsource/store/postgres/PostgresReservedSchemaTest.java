package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.Lease;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A schema whose name is a reserved word ({@code select}) or a natural name that is one
 * ({@code order}) passes validation, so every statement must quote it: the store migrates from no
 * schema at all, appends, reads, takes snapshots, saves checkpoints and dead letters, runs
 * projection transactions, claims, renews, fences and revokes partition leases and notifies listeners. Messages still show the readable name.
 */
class PostgresReservedSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {"select", "order"})
    void aReservedWordWorksAsTheSchemaName(String schema) throws Exception {
        PgTestDatabase.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");   // migration creates it
        try (HikariDataSource pool = PgTestDatabase.pool("es_t_reserved_" + schema, 4);
                PostgresStore store = PostgresStore.builder(pool).schema(schema).pollInterval(Duration.ofSeconds(30)).build();
                PostgresStore other = PostgresStore.builder(pool).schema(schema).build()) {
            store.migrate();
            assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "'"))
                    .isEqualTo(9);
            assertThat(store.eventsTable()).isEqualTo(schema + ".es_events");
            assertThat(store.ddl()).first().asString().contains("\"" + schema + "\".es_events");

            Semaphore wakes = new Semaphore(0);
            store.onAppend(wakes::release);
            Thread.sleep(200);                            // let the listener thread run LISTEN
            wakes.drainPermits();
            other.append("Order", "o1", 0, List.of(event("OrderCreated", "{\"id\":\"o1\"}"), event("OrderPaid", "{}")));
            assertThat(wakes.tryAcquire(5, TimeUnit.SECONDS)).as("notified of another store's commit (the 30 s poll"
                    + " interval cannot be it)").isTrue();
            store.append("Order", "o1", 2, List.of(event("OrderShipped", "{}")));

            List<StoredEvent> read = new ArrayList<>();
            assertThat(store.readStream("Order", "o1", 0, read::add)).isEqualTo(3);
            assertThat(read).extracting(StoredEvent::eventType).containsExactly("OrderCreated", "OrderPaid", "OrderShipped");
            assertThat(store.readLog(0, 10)).hasSize(3);
            assertThat(store.headPosition()).isEqualTo(3);

            store.saveSnapshot(new Snapshot("Order", "o1", 2, 7, "{}".getBytes(StandardCharsets.UTF_8),
                    Instant.now().truncatedTo(ChronoUnit.MICROS)));
            assertThat(store.loadSnapshot("Order", "o1")).map(Snapshot::version).contains(2L);

            store.saveCheckpoint("summary", 0, 3);
            store.saveCheckpoint("summary", 0, 1);
            assertThat(store.loadCheckpoints("summary")).isEqualTo(Map.of(0, 3L));
            store.inTransaction("summary", 1, 2, tx -> {
                try (Statement st = ((Connection) tx).createStatement()) {
                    st.execute("SELECT 1");
                }
            });
            assertThat(store.loadCheckpoints("summary")).isEqualTo(Map.of(0, 3L, 1, 2L));
            store.resetInTransaction("summary", tx -> { });
            assertThat(store.loadCheckpoints("summary")).isEmpty();

            Lease lease = store.claim("summary", 2, "web-1", 1, Duration.ofSeconds(30)).get(0);
            assertThat(store.heartbeat("summary", 2, "web-1", Duration.ofSeconds(30)).held()).extracting(Lease::partition)
                    .containsExactly(0);
            store.saveCheckpoint(lease, 4);
            store.inTransaction(lease, 5, tx -> { });
            store.markStopped(lease, "stopped");
            assertThat(store.loadCheckpoints("summary")).isEqualTo(Map.of(0, 5L));
            store.deleteCheckpoints("summary");
            assertThatThrownBy(() -> store.saveCheckpoint(lease, 6)).isInstanceOf(LeaseLostException.class);
            store.leave("summary", "web-1");
            assertThat(store.leases("summary")).extracting(Lease::owner, Lease::epoch).containsExactly(tuple(null, 2L), tuple(null, 1L));

            store.saveDeadLetter(new DeadLetter("summary", 0, 2, "Order", "o1", 2, "OrderPaid", 3, "boom",
                    Instant.now().truncatedTo(ChronoUnit.MICROS)));
            assertThat(store.loadDeadLetters("summary")).extracting(DeadLetter::error).containsExactly("boom");

            store.close();
            assertThatThrownBy(() -> store.onAppend(() -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(" " + schema + ".es_events");    // readable, not quoted
        }
    }
}
