package dev.eventsource.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoreException;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Totals;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine over the PostgreSQL store: a crash in the middle of a projection batch, and a database outage. */
class PostgresEngineTest {

    private static final String SCHEMA = "es_t_engine";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 1);

    /** A projection named {@code name} that counts every event it is handed. */
    static Projection counting(String name, AtomicLong counted) {
        return new Projection() {
            @Override
            public void handle(EventEnvelope<?> event) {
                counted.incrementAndGet();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Test
    void aTransactionalProjectionKilledMidBatchResumesWithNothingLostOrRepeated() throws Exception {
        HikariDataSource poolA = PgTestDatabase.pool("es_t_engine_a", 6);
        PostgresStore storeA = PostgresStore.builder(poolA).schema(SCHEMA).tablePrefix("crash_").build();
        Engine engineA = Engine.builder().store(storeA).closeTimeout(Duration.ofMillis(200)).build();
        engineA.registerAggregate(Counter.class);
        SeenTable dying = SeenTable.create(SCHEMA + ".seen", 150);
        // Small queues keep each partition's transactional batches small, so batches commit before the
        // crash point whatever the reader and the workers' timing (with the default 1,024 a worker could
        // drain its whole share into one batch that is still open at the 150th event).
        engineA.registerProjection(dying, StreamOptions.named("seen").partitions(2).batchSize(64).bufferSize(16));
        for (int i = 0; i < 200; i++) {
            engineA.execute(Counter.class, "c" + (i % 25), new Add("c" + (i % 25), 1));
        }
        engineA.start();
        assertThat(dying.blocked.await(20, TimeUnit.SECONDS)).as("projection reached the crash point").isTrue();

        // Crash: the server loses the process's connections (open transactions roll back) and the process
        // can never connect again.
        PgTestDatabase.killConnections("es_t_engine_a");
        poolA.close();
        dying.release.countDown();
        engineA.close();                                  // cannot drain (the log head is unreadable), stops its threads
        storeA.close();
        assertThat(dying.stats()[0]).as("some batches committed before the crash").isPositive();

        try (HikariDataSource poolB = PgTestDatabase.pool("es_t_engine_b", 6);
                PostgresStore storeB = PostgresStore.builder(poolB).schema(SCHEMA).tablePrefix("crash_").build();
                Engine engineB = Engine.builder().store(storeB).build()) {
            engineB.registerAggregate(Counter.class);
            SeenTable seen = SeenTable.create(SCHEMA + ".seen", -1);
            engineB.registerProjection(seen, StreamOptions.named("seen").partitions(2).batchSize(64));
            engineB.start();
            for (int i = 0; i < 30; i++) {
                engineB.execute(Counter.class, "d" + i, new Add("d" + i, 1));
            }
            assertThat(engineB.awaitProjections(Duration.ofSeconds(30))).isTrue();

            long head = storeB.headPosition();
            assertThat(head).isEqualTo(200 + 25 + 60);   // 200 Added + 25 Created, then 30 x (Created + Added)
            assertThat(seen.stats()).as("rows, distinct positions, min, max").containsExactly(head, head, 1, head);
        }
    }

    @Test
    void aConnectionLostInsideAProjectionTransactionIsAStoreFailureAndTheEventIsRetriedNotDeadLettered() throws Exception {
        // maxAttempts(1): were the broken connection counted as the projection's failure, the event would be
        // dead-lettered at once. The third event (a lone Add, so alone in its batch) blocks inside its
        // transaction while the server ends the connection under it.
        SeenTable seen = SeenTable.create(SCHEMA + ".lost_seen", 3, true);
        try (HikariDataSource pool = PgTestDatabase.pool("es_t_engine_lost", 6);
                PostgresStore store = PostgresStore.builder(pool).schema(SCHEMA).tablePrefix("lost_").build();
                Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Counter.class);
            engine.registerProjection(seen, StreamOptions.named("lost").maxAttempts(1));
            engine.execute(Counter.class, "c1", new Add("c1", 1));
            engine.start();
            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
            engine.execute(Counter.class, "c1", new Add("c1", 1));
            assertThat(seen.blocked.await(10, TimeUnit.SECONDS)).as("the projection is inside its transaction").isTrue();

            assertThat(PgTestDatabase.killConnections("es_t_engine_lost")).isPositive();
            seen.release.countDown();                     // its INSERT now meets the terminated connection

            // awaitProjections reads the head on a pooled connection, which the kill may have ended while idle
            assertThat(OutageDataSource.eventually(() -> engine.awaitProjections(Duration.ofSeconds(10)))).isTrue();
            assertThat(store.loadDeadLetters("seen-table")).as("no dead letter for a healthy event").isEmpty();
            assertThat(seen.stats()).as("rows, distinct positions, min, max").containsExactly(3, 3, 1, 3);
        }
    }

    @Test
    void aTransactionalProjectionWhoseCommitReplyIsLostDoesNotHandleItsEventsTwice() throws Exception {
        SeenTable seen = SeenTable.create(SCHEMA + ".reply_seen", -1);
        try (HikariDataSource pool = PgTestDatabase.pool("es_t_engine_reply", 6)) {
            OutageDataSource source = new OutageDataSource(pool);
            try (PostgresStore store = PostgresStore.builder(source).schema(SCHEMA).tablePrefix("reply_").build();
                    Engine engine = Engine.builder().store(store).build()) {
                engine.registerAggregate(Counter.class);
                engine.registerProjection(seen, StreamOptions.named("reply"));
                engine.execute(Counter.class, "c1", new Add("c1", 1));
                engine.start();
                assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();

                // The projection's next transaction commits, but the engine hears a connection error instead.
                source.loseNextCommitReply.set(true);
                engine.execute(Counter.class, "c2", new Add("c2", 1));
                assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
                assertThat(source.loseNextCommitReply).as("a commit reply was lost").isFalse();
                engine.execute(Counter.class, "c3", new Add("c3", 1));
                assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();

                assertThat(seen.stats()).as("rows, distinct positions, min, max: each event once").containsExactly(6, 6, 1, 6);
            }
        }
    }

    @Test
    void theEngineReportsStoreErrorsDuringAnOutageAndRecoversAfterIt() throws Exception {
        AtomicLong counted = new AtomicLong();
        Projection counter = counting("outage-count", counted);
        try (HikariDataSource pool = PgTestDatabase.pool("es_t_engine_outage", 4)) {
            OutageDataSource outage = new OutageDataSource(pool);
            try (PostgresStore store = PostgresStore.builder(outage).schema(SCHEMA).tablePrefix("outage_")
                    .pollInterval(Duration.ofMillis(100)).build();
                    Engine engine = Engine.builder().store(store).build()) {
                engine.registerAggregate(Counter.class);
                engine.registerProjection(counter, StreamOptions.named("count").pollInterval(Duration.ofMillis(50)));
                engine.start();
                for (int i = 0; i < 10; i++) {
                    engine.execute(Counter.class, "o" + i, new Add("o" + i, 1));
                }
                assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
                assertThat(counted).hasValue(20);

                outage.down = true;
                PgTestDatabase.killConnections("es_t_engine_outage");
                assertThatThrownBy(() -> engine.execute(Counter.class, "o1", new Add("o1", 1)))
                        .isInstanceOf(StoreException.class).hasMessageContaining("o1").hasMessageContaining("refused");
                Thread.sleep(700);                        // the projection reader fails and retries meanwhile

                outage.down = false;
                OutageDataSource.eventually(() -> engine.execute(Counter.class, "o1", new Add("o1", 1)));
                for (int i = 0; i < 5; i++) {
                    engine.execute(Counter.class, "p" + i, new Add("p" + i, 1));
                }
                assertThat(engine.awaitProjections(Duration.ofSeconds(10))).as("projections caught up after the outage").isTrue();
                assertThat(counted).hasValue(20 + 1 + 10);
                assertThat(engine.load(Counter.class, "o1")).get().extracting(Counter::value).isEqualTo(2L);
            }
        }
    }

    @Test
    void aStoredEventThatDoesNotDecodeIsDeadLetteredWithItsContextWhileEverythingElseGoesOn() throws Exception {
        AtomicLong counted = new AtomicLong();
        Projection counter = counting("decode-count", counted);
        Totals totals = new Totals();
        try (HikariDataSource pool = PgTestDatabase.pool("es_t_engine_decode", 6);
                PostgresStore store = PostgresStore.builder(pool).schema(SCHEMA).tablePrefix("decode_").build();
                Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Counter.class);
            engine.registerProjection(counter, StreamOptions.named("decode-count").partitions(2).maxAttempts(1));
            engine.registerProjection(totals, StreamOptions.named("decode-totals").partitions(2).maxAttempts(1));
            engine.start();
            for (int i = 0; i < 5; i++) {
                engine.execute(Counter.class, "before" + i, new Add("before" + i, 1));
            }
            // A row as another (buggy) writer could have left it: a known type, a payload that is not JSON.
            AppendResult bad = store.append("Counter", "bad", 0, List.of(new NewEvent(UUID.randomUUID(), "Created", 1,
                    Instant.now(), "{not json".getBytes(StandardCharsets.UTF_8), Map.of())));
            for (int i = 0; i < 5; i++) {
                engine.execute(Counter.class, "after" + i, new Add("after" + i, 2));
            }

            assertThat(engine.awaitProjections(Duration.ofSeconds(20))).as("both projections get past the bad row").isTrue();
            assertThat(counted).as("every other event reached the plain projection").hasValue(20);
            assertThat(totals.sums).hasSize(10);
            List<DeadLetter> dead = store.loadDeadLetters("decode-count");
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.streamType()).isEqualTo("Counter");
                assertThat(d.streamId()).isEqualTo("bad");
                assertThat(d.version()).isEqualTo(1);
                assertThat(d.globalPosition()).isEqualTo(bad.lastPosition());
                assertThat(d.eventType()).isEqualTo("Created");
                assertThat(d.error()).contains("Counter/bad").contains("position " + bad.lastPosition()).contains("Created");
            });
            assertThat(engine.load(Counter.class, "after4")).get().extracting(Counter::value).isEqualTo(2L);
        }
    }
}
