package dev.eventsource.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.CommandContext;
import dev.eventsource.CommandResult;
import dev.eventsource.Engine;
import dev.eventsource.EngineObserver;
import dev.eventsource.EventEnvelope;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commands on one hot aggregate through the engine on PostgreSQL: one engine's commands queue and
 * share appends (no caller sees a conflict); two engines on separate pools, as two processes would,
 * lose no update; a command id is stored once per command inside a shared append.
 */
class PostgresSequencingTest {

    private static final String SCHEMA = "es_t_sequencing";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 10);

    /** Counts appends and the commands they carried. */
    static final class Appends implements EngineObserver {
        final AtomicInteger appends = new AtomicInteger();
        final AtomicInteger commands = new AtomicInteger();

        @Override
        public void appended(String streamType, String aggregateId, int commands, int events) {
            appends.incrementAndGet();
            this.commands.addAndGet(commands);
        }
    }

    private static int run(ExecutorService threads, int callers, int each, Engine engine, String id) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            done.add(threads.submit(() -> {
                go.await();
                int conflicts = 0;
                for (int i = 0; i < each; i++) {
                    try {
                        engine.executeResult(Counter.class, id, new Add(id, 1), CommandContext.none());
                    } catch (ConcurrencyException e) {
                        conflicts++;
                    }
                }
                return conflicts;
            }));
        }
        go.countDown();
        int conflicts = 0;
        for (Future<Integer> f : done) {
            conflicts += f.get(120, TimeUnit.SECONDS);
        }
        return conflicts;
    }

    @Test
    void eightThreadsOnOneAggregateQueueAndShareAppends() throws Exception {
        eightThreadsOnOneAggregate(false);
    }

    @Test
    void eightThreadsOnOneAggregateCombinedOnOneThreadQueueAndShareAppends() throws Exception {
        eightThreadsOnOneAggregate(true);
    }

    private static void eightThreadsOnOneAggregate(boolean combine) throws Exception {
        Appends observed = new Appends();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (PostgresStore store = db.store();
                Engine engine = Engine.builder().store(store).observer(observed).combineQueuedCommands(combine).build()) {
            engine.registerAggregate(Counter.class);
            String id = "hot-" + System.nanoTime();
            engine.execute(Counter.class, id, new Add(id, 1));
            int conflicts = run(threads, 8, 40, engine, id);

            assertThat(conflicts).as("conflicts seen by callers").isZero();
            assertThat(engine.load(Counter.class, id).orElseThrow().value()).isEqualTo(1 + 8 * 40);
            assertThat(observed.commands.get()).isEqualTo(1 + 8 * 40);
            assertThat(observed.appends.get()).as("appends for %d commands", 1 + 8 * 40).isLessThan(8 * 40 / 2);
            List<StoredEvent> events = new ArrayList<>();
            store.readStream("Counter", id, 0, events::add);
            assertThat(events).hasSize(2 + 8 * 40);
            for (StoredEvent e : events) {
                long version = store.commandVersion("Counter", id, e.metadata().get(EventEnvelope.COMMAND_ID));
                assertThat(version).as("each command's id is stored with its first event").isGreaterThan(0)
                        .isLessThanOrEqualTo(e.version());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twoEnginesOnSeparatePoolsLoseNoUpdate() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (HikariDataSource poolA = PgTestDatabase.pool("es_t_seq_a", 4);
                HikariDataSource poolB = PgTestDatabase.pool("es_t_seq_b", 4);
                PostgresStore storeA = PostgresStore.builder(poolA).schema(SCHEMA).build();
                PostgresStore storeB = PostgresStore.builder(poolB).schema(SCHEMA).build();
                Engine a = Engine.builder().store(storeA).maxRetries(50).build();
                Engine b = Engine.builder().store(storeB).maxRetries(50).build()) {
            a.registerAggregate(Counter.class);
            b.registerAggregate(Counter.class);
            String id = "shared-" + System.nanoTime();
            a.execute(Counter.class, id, new Add(id, 1));
            Future<Integer> onA = threads.submit(() -> run(threads, 3, 30, a, id));
            Future<Integer> onB = threads.submit(() -> run(threads, 3, 30, b, id));
            assertThat(onA.get(180, TimeUnit.SECONDS) + onB.get(180, TimeUnit.SECONDS)).as("gave up").isZero();
            assertThat(a.load(Counter.class, id).orElseThrow().value()).isEqualTo(1 + 2 * 3 * 30);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aResendInsideABatchIsADuplicateOnPostgres() {
        try (PostgresStore store = db.store(); Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Counter.class);
            String id = "resend-" + System.nanoTime();
            CommandContext once = CommandContext.builder().commandId("request-1").build();
            CommandResult<Counter> first = engine.executeResult(Counter.class, id, new Add(id, 1), once);
            CommandResult<Counter> again = engine.executeResult(Counter.class, id, new Add(id, 1), once);
            assertThat(first.duplicate()).isFalse();
            assertThat(again.duplicate()).isTrue();
            assertThat(again.aggregate().value()).isEqualTo(1);
        }
    }
}
