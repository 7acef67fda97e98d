package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.CommandIds;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoredEventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tables are created on first use, once, even when two processes start at the same moment. */
class PostgresMigrationTest {

    private static final String SCHEMA = "es_t_migration";

    @Test
    void firstUseCreatesTheSchemaAndASecondMigrationChangesNothing() throws Exception {
        PgTestDatabase.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");   // not even the schema exists
        try (HikariDataSource ds = PgTestDatabase.pool(SCHEMA, 2)) {
            PostgresStore store = PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("a_").build();
            store.append("Order", "o1", 0, List.of(event("A", "{}")));          // first use migrates
            store.migrate();
            PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("a_").build().migrate();

            assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM " + SCHEMA + ".a_schema_version")).isEqualTo(5);
            assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM " + SCHEMA + ".a_events")).isEqualTo(1);
            assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM " + SCHEMA + ".a_event_types")).isEqualTo(1);
            assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = '" + SCHEMA + "'")).isEqualTo(9);
        }
    }

    @Test
    void aSchemaAtVersion2IsUpgradedWithTheLeaseTablesAndKeepsItsData() {
        PgTestDatabase.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        try (HikariDataSource ds = PgTestDatabase.pool(SCHEMA, 2)) {
            PostgresStore old = PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("e_").build();
            old.append("Order", "o1", 0, List.of(event("A", "{}")));
            old.saveCheckpoint("summary", 0, 1);
            PgTestDatabase.execute("DROP TABLE " + SCHEMA + ".e_projection_leases, " + SCHEMA + ".e_projection_members",
                    "DROP TABLE " + SCHEMA + ".e_event_types",
                    "ALTER TABLE " + SCHEMA + ".e_events DROP COLUMN command_id",
                    "DELETE FROM " + SCHEMA + ".e_schema_version WHERE version >= 3");   // as release 2 left it

            PostgresStore upgraded = PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("e_").build();
            assertThat(upgraded.claim("summary", 1, "web-1", 1, Duration.ofSeconds(30))).hasSize(1);   // first use migrates

            assertThat(PgTestDatabase.queryLong("SELECT max(version) FROM " + SCHEMA + ".e_schema_version")).isEqualTo(5);
            assertThat(upgraded.headPosition()).isEqualTo(1);
            assertThat(upgraded.loadCheckpoints("summary")).containsEntry(0, 1L);
        }
    }

    @Test
    void aSchemaAtVersion3IsUpgradedWithTheEventTypesTableBackfilledFromItsEventsOnce() {
        PgTestDatabase.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        try (HikariDataSource ds = PgTestDatabase.pool(SCHEMA, 2)) {
            PostgresStore old = PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("f_").build();
            old.append("Order", "o1", 0, List.of(event("OrderPlaced", "{}"), event("OrderPaid", "{}"), event("OrderPaid", "{}")));
            old.append("Order", "o2", 0, List.of(event("OrderPlaced", "{}")));
            old.append("Invoice", "i1", 0, List.of(event("OrderPaid", "{}")));
            PgTestDatabase.execute("UPDATE " + SCHEMA + ".f_events SET event_version = 2 WHERE stream_id = 'o2'",
                    "DROP TABLE " + SCHEMA + ".f_event_types",
                    "ALTER TABLE " + SCHEMA + ".f_events DROP COLUMN command_id",
                    "DELETE FROM " + SCHEMA + ".f_schema_version WHERE version >= 4");   // as release 3 left it

            PostgresStore upgraded = PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("f_").build();

            assertThat(upgraded.storedEventTypes()).containsExactlyInAnyOrder(new StoredEventType("Order", "OrderPlaced", 1),
                    new StoredEventType("Order", "OrderPaid", 1), new StoredEventType("Order", "OrderPlaced", 2),
                    new StoredEventType("Invoice", "OrderPaid", 1));
            assertThat(PgTestDatabase.queryLong("SELECT max(version) FROM " + SCHEMA + ".f_schema_version")).isEqualTo(5);
            upgraded.append("Invoice", "i1", 1, List.of(event("InvoiceSent", "{}")));
            assertThat(upgraded.storedEventTypes()).hasSize(5).contains(new StoredEventType("Invoice", "InvoiceSent", 1));
        }
    }

    @Test
    void aSchemaAtVersion4GetsTheCommandIdColumnAndItsEventsStayAppendable() {
        PgTestDatabase.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        try (HikariDataSource ds = PgTestDatabase.pool(SCHEMA, 2)) {
            PostgresStore old = PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("g_").build();
            old.append("Order", "o1", 0, List.of(event("OrderPlaced", "{}")));
            PgTestDatabase.execute("ALTER TABLE " + SCHEMA + ".g_events DROP COLUMN command_id",
                    "DELETE FROM " + SCHEMA + ".g_schema_version WHERE version = 5");   // as release 4 left it

            PostgresStore upgraded = PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("g_").build();
            assertThat(upgraded.commandVersion("Order", "o1", "cmd-1")).isZero();            // first use migrates
            assertThat(PgTestDatabase.queryLong("SELECT max(version) FROM " + SCHEMA + ".g_schema_version")).isEqualTo(5);
            upgraded.append("Order", "o1", 1, List.of(new NewEvent(UUID.randomUUID(), "OrderPaid", 1, Instant.EPOCH,
                    "{}".getBytes(StandardCharsets.UTF_8), Map.of(CommandIds.METADATA_KEY, "cmd-1"))));
            assertThat(upgraded.commandVersion("Order", "o1", "cmd-1")).isEqualTo(2);
            assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM " + SCHEMA + ".g_events WHERE command_id IS NULL"))
                    .as("rows from before keep no command id").isEqualTo(1);
        }
    }

    @Test
    void twoProcessesMigratingAtOnceBothSucceedAndMigrateOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (HikariDataSource one = PgTestDatabase.pool(SCHEMA + "_1", 2); HikariDataSource two = PgTestDatabase.pool(SCHEMA + "_2", 2)) {
            for (int round = 0; round < 5; round++) {
                PgTestDatabase.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                CyclicBarrier barrier = new CyclicBarrier(2);
                List<Future<?>> runs = new ArrayList<>();
                for (HikariDataSource ds : List.of(one, two)) {
                    runs.add(pool.submit(() -> {
                        PostgresStore store = PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("b_").build();
                        barrier.await();
                        store.migrate();
                        return store.headPosition();
                    }));
                }
                for (Future<?> run : runs) {
                    assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(0L);
                }
                assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM " + SCHEMA + ".b_schema_version")).isEqualTo(5);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSchemaNewerThanTheLibraryIsRefusedWithAClearMessage() {
        try (HikariDataSource ds = PgTestDatabase.pool(SCHEMA, 2)) {
            PostgresStore store = PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("c_").build();
            store.migrate();
            PgTestDatabase.execute("INSERT INTO " + SCHEMA + ".c_schema_version (version, description) VALUES (99, 'future')");

            assertThatThrownBy(() -> PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("c_").build().headPosition())
                    .isInstanceOf(StoreException.class).hasMessageContaining("version 99").hasMessageContaining("newer");
        }
    }

    @Test
    void connectionsThatAreNotReadCommittedAreRefused() {
        try (HikariDataSource ds = PgTestDatabase.pool(SCHEMA, 2, c -> c.setTransactionIsolation("TRANSACTION_SERIALIZABLE"))) {
            assertThatThrownBy(() -> PostgresStore.builder(ds).schema(SCHEMA).tablePrefix("d_").build().migrate())
                    .isInstanceOf(StoreException.class).hasMessageContaining("READ COMMITTED");
        }
    }
}
