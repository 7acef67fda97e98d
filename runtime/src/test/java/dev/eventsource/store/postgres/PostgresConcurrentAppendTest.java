package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.ConcurrencyException;
import dev.eventsource.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Eight writers increment one stream at once: no lost update, no duplicate version, no hole. */
class PostgresConcurrentAppendTest {

    private static final String SCHEMA = "es_t_concurrent";
    private static final int THREADS = 8;
    private static final int SUCCESSES_PER_THREAD = 40;
    private static HikariDataSource dataSource;
    private static final List<PostgresStore> stores = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        dataSource = PgTestDatabase.freshSchema(SCHEMA, THREADS + 2);
    }

    @AfterAll
    static void tearDown() {
        stores.forEach(PostgresStore::close);
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private static PostgresStore store(boolean groupCommit) {
        PostgresStore store = PostgresStore.builder(dataSource).schema(SCHEMA).groupCommit(groupCommit).build();
        stores.add(store);
        return store;
    }

    @Test
    void eightConnectionsAppendingToOneStreamLoseNothing() throws Exception {
        List<PostgresStore> perThread = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            perThread.add(store(false));                 // a store each: eight transactions in flight
        }
        PgTestDatabase.forbidEventChanges(perThread.get(0));
        assertIncrementsAreExact("one-per-connection", perThread::get);
    }

    @Test
    void eightThreadsSharingAGroupCommitStoreLoseNothing() throws Exception {
        PostgresStore shared = store(true);              // conflicts are rejected inside shared transactions
        assertIncrementsAreExact("group-commit", i -> shared);
    }

    private static void assertIncrementsAreExact(String stream, IntFunction<PostgresStore> storeOf) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> conflicts = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            PostgresStore store = storeOf.apply(t);
            int thread = t;
            conflicts.add(pool.submit(() -> {
                int lost = 0;
                for (int done = 0; done < SUCCESSES_PER_THREAD; ) {
                    long version = store.readStream("Counter", stream, 0, e -> { });
                    try {
                        store.append("Counter", stream, version, List.of(event("Incremented", "{\"by\":" + thread + "}")));
                        done++;
                    } catch (ConcurrencyException e) {
                        assertThat(e.actualVersion()).isGreaterThan(version);
                        lost++;
                    }
                }
                return lost;
            }));
        }
        int totalConflicts = 0;
        for (Future<Integer> f : conflicts) {
            totalConflicts += f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<StoredEvent> events = new ArrayList<>();
        long version = storeOf.apply(0).readStream("Counter", stream, 0, events::add);
        assertThat(version).isEqualTo((long) THREADS * SUCCESSES_PER_THREAD);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).version()).isEqualTo(i + 1L);
        }
        assertThat(totalConflicts).as("the writers really raced").isPositive();
    }
}
