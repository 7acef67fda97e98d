package dev.eventsource.tests.bank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.postgres.PgSchema;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import dev.eventsource.tests.bank.BankCommands.Deposit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The processor-compiled bank domain on the PostgreSQL store: concurrent commands, a partitioned
 * projection, snapshots, and a restart of the engine on the same tables (checkpoints resume, nothing
 * is handled twice, aggregates load from their snapshots, a rebuild replays everything).
 */
class BankPostgresTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final PgSchema db = new PgSchema("es_t_bank", 8);

    private static Engine engine(PostgresStore store, Balances balances) {
        Engine engine = Engine.builder().store(store).build();
        engine.registerAggregate(BankAccount.class);
        engine.registerProjection(balances, StreamOptions.named("balances").partitions(4));
        engine.start();
        return engine;
    }

    private static void deposit(Engine engine, String id, long cents) {
        while (true) {
            try {
                engine.execute(BankAccount.class, id, new Deposit(id, cents));
                return;
            } catch (ConcurrencyException retry) {
                // another thread deposited on the same account; the engine's own retries ran out
            }
        }
    }

    @Test
    void theBankRunsOnPostgresAndSurvivesARestart() throws Exception {
        PostgresStore store = db.store();
        Map<String, Long> expected = new ConcurrentHashMap<>();
        Balances first = new Balances();
        try (Engine engine = engine(store, first)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                work.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 40; i++) {
                        String account = "acct-" + random.nextInt(6);
                        long cents = random.nextLong(1, 10_000);
                        deposit(engine, account, cents);
                        expected.merge(account, cents, Long::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(engine.awaitProjections(WAIT)).isTrue();

            assertThat(first.balances).isEqualTo(expected);
            first.versions.forEach((account, versions) -> assertThat(versions).as(account)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, versions.size()).boxed().toList()));
        }
        long handledBefore = first.events.get();
        assertThat(handledBefore).isEqualTo(store.headPosition());
        assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM es_t_bank.es_snapshots")).as("snapshots written").isPositive();

        Balances second = new Balances();
        try (Engine engine = engine(db.store(), second)) {
            assertThat(engine.awaitProjections(WAIT)).isTrue();
            assertThat(second.events).as("resumed from its checkpoints: nothing handled twice").hasValue(0);

            deposit(engine, "acct-0", 1);
            expected.merge("acct-0", 1L, Long::sum);
            assertThat(engine.awaitProjections(WAIT)).isTrue();
            assertThat(second.balances).isEqualTo(Map.of("acct-0", 1L));

            for (Map.Entry<String, Long> e : expected.entrySet()) {
                assertThat(engine.load(BankAccount.class, e.getKey())).get().extracting(a -> a.balance)
                        .as(e.getKey()).isEqualTo(e.getValue());
            }

            engine.rebuildProjection(second);
            assertThat(engine.awaitProjections(WAIT)).isTrue();
            assertThat(second.balances).isEqualTo(expected);
            assertThat(second.events).hasValue(handledBefore + 1);   // one Deposited on an existing account
        }
    }
}
