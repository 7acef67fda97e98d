package dev.eventsource.store.postgres;

import static dev.eventsource.store.postgres.PgTestDatabase.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Eight writers increment one stream at once: no lost update, no duplicate version, no hole. */
class PostgresConcurrentAppendTest {

    private static final String SCHEMA = "es_t_concurrent";
    private static final int THREADS = 8;
    private static final int SUCCESSES_PER_THREAD = 40;
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, THREADS + 2);

    private static PostgresStore store(boolean groupCommit) {
        return db.store(b -> b.groupCommit(groupCommit));
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

    @Test
    void anAppendThatWaitedForTheLogHeadWhileTheStreamMovedIsAConflictAndLeavesNoHole() throws Exception {
        CountDownLatch inTransaction = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        PostgresStore slow = db.store(b -> b.groupCommit(false).beforeCommit(() -> {
            inTransaction.countDown();
            try {
                commit.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        PostgresStore fast = store(false);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<AppendResult> first = pool.submit(() -> slow.append("Race", "r1", 0, List.of(event("A", "{}"))));
            assertThat(inTransaction.await(10, TimeUnit.SECONDS)).isTrue();
            // The second append reads version 0 in its snapshot, then waits for the log head row the first holds.
            Future<AppendResult> second = pool.submit(() -> fast.append("Race", "r1", 0, List.of(event("B", "{}"))));
            awaitLockWait(db.name());
            commit.countDown();

            AppendResult won = first.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ConcurrencyException.class)
                    .cause().satisfies(e -> assertThat(((ConcurrencyException) e).actualVersion()).isEqualTo(1));
            AppendResult next = fast.append("Race", "r2", 0, List.of(event("C", "{}")));
            assertThat(next.firstPosition()).as("no hole left by the rejected append").isEqualTo(won.lastPosition() + 1);
        } finally {
            commit.countDown();
            pool.shutdownNow();
        }
    }

    /** Waits until some backend of the pool waits for a lock (the log head row). */
    private static void awaitLockWait(String applicationName) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (PgTestDatabase.queryLong("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName
                    + "' AND wait_event_type = 'Lock'") > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the second append never waited for the log head");
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
