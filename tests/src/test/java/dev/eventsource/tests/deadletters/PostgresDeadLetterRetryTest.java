package dev.eventsource.tests.deadletters;

import static dev.eventsource.store.postgres.PgTestDatabase.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link DeadLetterRetryContract} on PostgreSQL, each test on a fresh schema; and a
 * {@link dev.eventsource.TransactionalProjection} retried there: each dead letter in a transaction of
 * its own that also deletes it, so the table and the dead letters always agree.
 */
class PostgresDeadLetterRetryTest extends DeadLetterRetryContract {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private String schema;
    private HikariDataSource pool;
    private PostgresStore store;

    @Override
    EventStore store() {
        schema = "es_t_retry_" + SCHEMAS.incrementAndGet();
        pool = PgTestDatabase.freshSchema(schema, 6);
        store = PostgresStore.builder(pool).schema(schema).build();
        return store;
    }

    @Override
    void release() {
        if (store != null) {
            store.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private ShipmentTable table() {
        ShipmentTable table = new ShipmentTable(schema);
        PgTestDatabase.execute(table.ddl());
        return table;
    }

    private long rows(ShipmentTable table, String where) {
        return queryLong("select count(*) from " + table.table() + " where " + where);
    }

    @Test
    void a_transactional_projection_retries_each_dead_letter_with_its_deletion_in_one_transaction() {
        EventStore store = store();
        ShipmentTable table = table();
        storeVersion1(store, "p-old", "mule");
        Engine engine = engine(store);
        table.failAfterWrite = "mule";
        engine.registerProjection(table, quick("shipment-table").partitions(2));
        engine.start();
        ship(engine, "p-1", "van");
        ship(engine, "p-2", "mule");
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(store.loadDeadLetters("shipment-table")).extracting(DeadLetter::streamId).containsExactly("p-old", "p-2");
        assertThat(rows(table, "true")).as("the failed rows rolled back").isEqualTo(1);
        Map<Integer, Long> checkpoints = store.loadCheckpoints("shipment-table");

        assertThat(engine.retryDeadLetters(table)).as("still broken").isZero();
        assertThat(rows(table, "true")).as("the retries' rows rolled back with them").isEqualTo(1);
        assertThat(store.loadDeadLetters("shipment-table")).extracting(DeadLetter::attempts).containsExactly(6, 6);

        table.failAfterWrite = null;
        assertThat(engine.retryDeadLetters(table)).isEqualTo(2);

        assertThat(store.loadDeadLetters("shipment-table")).isEmpty();
        assertThat(rows(table, "true")).isEqualTo(3);
        assertThat(rows(table, "applied = 1")).as("each applied once").isEqualTo(3);
        assertThat(rows(table, "parcel_id = 'p-old' and service = 'standard'")).as("upcast from version 1").isEqualTo(1);
        assertThat(store.loadCheckpoints("shipment-table")).as("the retries left the checkpoints").isEqualTo(checkpoints);
        ship(engine, "p-3", "van");
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(rows(table, "applied = 1")).isEqualTo(4);
    }

    @Test
    void two_callers_retrying_at_once_apply_each_dead_letter_once() throws Exception {
        EventStore store = store();
        ShipmentTable table = table();
        Engine engine = engine(store);
        table.failAfterWrite = "mule";
        engine.registerProjection(table, quick("shipment-table").partitions(2).maxAttempts(1));
        engine.start();
        for (int i = 0; i < 12; i++) {
            ship(engine, "p-" + (i % 4), "mule");
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(store.loadDeadLetters("shipment-table")).hasSize(12);
        table.failAfterWrite = null;

        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                calls.add(callers.submit(() -> engine.retryDeadLetters(table)));
            }
            int retried = 0;
            for (Future<Integer> call : calls) {
                retried += call.get(60, TimeUnit.SECONDS);
            }
            assertThat(retried).isEqualTo(12);
        } finally {
            callers.shutdownNow();
        }
        assertThat(store.loadDeadLetters("shipment-table")).isEmpty();
        assertThat(rows(table, "applied = 1")).isEqualTo(12);
        assertThat(rows(table, "true")).isEqualTo(12);
    }
}
