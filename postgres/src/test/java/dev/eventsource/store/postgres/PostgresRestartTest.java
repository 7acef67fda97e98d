package dev.eventsource.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.StoreException;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * A real restart of a PostgreSQL server (not a simulated outage) while an engine runs commands from
 * several threads and a transactional projection keeps a read model in the same database, one of
 * its transactions open when the server goes: commands fail naming their aggregate while the server
 * is away, work again once it is back, and nothing acknowledged is lost, skipped or handled twice.
 * The server is a {@link ThrowawayCluster} of this test's own; the shared test server is not used.
 */
class PostgresRestartTest {

    private static final String SCHEMA = "es_t_restart";
    private static final int WRITERS = 4;

    /** Threads that each run {@code Add} on their own counter until stopped, recording every outcome. */
    private static final class Writers {
        final AtomicLongArray succeeded = new AtomicLongArray(WRITERS);
        final AtomicLongArray unknown = new AtomicLongArray(WRITERS);  // "may or may not be stored"
        final Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();
        volatile boolean stop;

        Writers(Engine engine) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                String id = "w" + w;
                Thread thread = new Thread(() -> {
                    while (!stop) {
                        try {
                            engine.execute(Counter.class, id, new Add(id, 1));
                            succeeded.incrementAndGet(writer);
                        } catch (RuntimeException e) {
                            failures.add(e);
                            if (String.valueOf(e.getMessage()).contains("may or may not be stored")) {
                                unknown.incrementAndGet(writer);
                            }
                            sleep(20);
                        }
                    }
                }, "writer-" + w);
                thread.start();
                threads.add(thread);
            }
        }

        /** Waits until every writer has succeeded {@code more} more times than in {@code before}. */
        void awaitProgress(long[] before, int more, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int w = 0; w < WRITERS; w++) {
                while (succeeded.get(w) < before[w] + more) {
                    assertThat(System.nanoTime()).as("writer %d made progress (failures so far: %s)", w, failures.peek())
                            .isLessThan(deadline);
                    sleep(10);
                }
            }
        }

        long[] snapshot() {
            long[] s = new long[WRITERS];
            for (int w = 0; w < WRITERS; w++) {
                s[w] = succeeded.get(w);
            }
            return s;
        }

        void stop() throws InterruptedException {
            stop = true;
            for (Thread t : threads) {
                t.join(30_000);
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void commandsFailNamingTheirAggregateWhileTheServerRestartsAndEverythingRecoversAfterIt() throws Exception {
        try (ThrowawayCluster cluster = ThrowawayCluster.create();
                HikariDataSource pool = PgTestDatabase.pool(cluster.url(), SCHEMA, 10, config -> config.setConnectionTimeout(1_000));
                PostgresStore store = PostgresStore.builder(pool).schema(SCHEMA).pollInterval(Duration.ofMillis(200)).build();
                Engine engine = Engine.builder().store(store).build()) {
            cluster.execute("CREATE SCHEMA " + SCHEMA);
            SeenTable seen = SeenTable.create(cluster::connect, SCHEMA + ".seen", 30, true);
            engine.registerAggregate(Counter.class);
            // maxAttempts(1): an attempt charged to an event for the outage would dead-letter it at once.
            engine.registerProjection(seen, StreamOptions.named("seen").partitions(2).maxAttempts(1));
            engine.start();
            Writers writers = new Writers(engine);
            try {
                writers.awaitProgress(new long[WRITERS], 20, Duration.ofSeconds(30));
                assertThat(seen.blocked.await(30, TimeUnit.SECONDS)).as("the projection is inside a transaction").isTrue();

                cluster.stop();
                Thread.sleep(300);                        // commands fail meanwhile
                seen.release.countDown();                 // the projection's next statement meets the dead connection
                Thread.sleep(1_000);                      // and its retries a stopped server
                cluster.start();
                writers.awaitProgress(writers.snapshot(), 20, Duration.ofSeconds(60));
            } finally {
                writers.stop();
            }

            assertThat(writers.failures).as("commands failed while the server was away").isNotEmpty();
            assertThat(writers.failures).allSatisfy(e -> assertThat(e)
                    .isInstanceOf(StoreException.class)
                    .hasMessageMatching("(?s).*Counter/w[0-9].*"));
            assertThat(engine.awaitProjections(Duration.ofSeconds(30))).as("the projection caught up after the restart").isTrue();

            long head = store.headPosition();
            assertThat(seen.stats()).as("read model rows, distinct positions, min, max: every event exactly once")
                    .containsExactly(head, head, 1, head);
            assertThat(store.loadDeadLetters("seen-table")).as("a restart is no reason to give up on an event").isEmpty();
            long stored = 0;
            for (int w = 0; w < WRITERS; w++) {
                long value = engine.load(Counter.class, "w" + w).orElseThrow().value();
                assertThat(value).as("counter w%d: every acknowledged Add stored, nothing else but unknown outcomes", w)
                        .isBetween(writers.succeeded.get(w), writers.succeeded.get(w) + writers.unknown.get(w));
                stored += value;
            }
            assertThat(head).as("one Created per counter, one Added per stored Add").isEqualTo(WRITERS + stored);
        }
    }
}
