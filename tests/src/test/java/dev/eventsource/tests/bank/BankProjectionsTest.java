package dev.eventsource.tests.bank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.tests.bank.BankCommands.Deposit;
import dev.eventsource.tests.bank.BankCommands.Withdraw;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Inline and partitioned projections over a domain compiled by the processor. */
class BankProjectionsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final InMemoryStore store = new InMemoryStore();
    private final Engine engine = Engine.builder().store(store).snapshotEvery(0).build();

    {
        engine.registerAggregate(BankAccount.class);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private void deposit(String id, long cents) {
        while (true) {
            try {
                engine.execute(BankAccount.class, id, new Deposit(id, cents));
                return;
            } catch (ConcurrencyException retryAgain) {
                // contention in the concurrent tests; try again
            }
        }
    }

    /** A plain projection that refuses deposits of 13 cents. */
    static final class Superstitious implements Projection {
        final Map<String, Long> deposits = new ConcurrentHashMap<>();

        @Override
        public void handle(EventEnvelope<?> event) {
            if (event.data() instanceof Deposited d) {
                if (d.cents() == 13) {
                    throw new IllegalArgumentException("13 cents from " + d.accountId() + " brings bad luck");
                }
                deposits.merge(d.accountId(), d.cents(), Long::sum);
            }
        }

        @Override
        public String name() {
            return "superstitious";
        }
    }

    private static StreamOptions quickRetries(String name) {
        return StreamOptions.named(name).partitions(2).backoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(1));
    }

    @Test
    void partitionsKeepEachAccountsEventsInVersionOrder() throws Exception {
        Balances balances = new Balances();
        engine.registerProjection(balances, StreamOptions.named("balances").partitions(4).bufferSize(8));
        engine.start();
        Thread[] writers = new Thread[4];
        for (int w = 0; w < writers.length; w++) {
            int writer = w;
            writers[w] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    deposit("acc-" + (i + writer) % 12, 1);
                }
            });
            writers[w].start();
        }
        for (Thread w : writers) {
            w.join();
        }

        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(balances.balances.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(800);
        balances.versions.forEach((account, versions) -> assertThat(versions).as(account)
                .containsExactlyElementsOf(() -> LongStream.rangeClosed(1, versions.size()).iterator()));
    }

    @Test
    void inlineProjectionIsUpToDateWhenExecuteReturns() {
        Balances inline = new Balances();
        engine.registerProjection(inline);
        deposit("acc-1", 70);
        assertThat(inline.balances).containsEntry("acc-1", 70L);
        engine.execute(BankAccount.class, "acc-1", new Withdraw("acc-1", 20));
        assertThat(inline.balances).containsEntry("acc-1", 50L);
    }

    @Test
    void slowProjectionBehindATinyBufferStillGetsEveryEvent() {
        Balances slow = new Balances();
        slow.pauseNanos = 200_000;
        engine.registerProjection(slow, StreamOptions.named("slow").partitions(2).bufferSize(1));
        engine.start();
        for (int i = 0; i < 150; i++) {
            deposit("acc-" + i % 5, 1);
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(slow.events).hasValue(155);
    }

    @Test
    void deadLetterPolicyRecordsTheFailureAndGoesOn() {
        Superstitious projection = new Superstitious();
        engine.registerProjection(projection, quickRetries("dead-letter"));
        engine.start();
        deposit("acc-1", 5);
        deposit("acc-1", 13);
        deposit("acc-1", 7);

        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(projection.deposits).containsEntry("acc-1", 12L);
        assertThat(store.loadDeadLetters("superstitious")).singleElement().satisfies(letter -> {
            assertThat(letter.streamId()).isEqualTo("acc-1");
            assertThat(letter.version()).isEqualTo(3);
            assertThat(letter.eventType()).isEqualTo("bank.Deposited");
            assertThat(letter.error()).contains("13 cents from acc-1 brings bad luck");
        });
    }

    @Test
    void stopPartitionPolicyHaltsTheAccountsPartitionAndReportsIt() {
        Superstitious projection = new Superstitious();
        engine.registerProjection(projection, quickRetries("stop").partitions(1).onFailure(FailurePolicy.STOP_PARTITION));
        engine.start();
        deposit("acc-1", 5);
        deposit("acc-1", 13);
        deposit("acc-1", 7);

        assertThat(engine.awaitProjections(Duration.ofSeconds(3))).isFalse();
        assertThat(projection.deposits).containsEntry("acc-1", 5L);
        ProjectionStatus status = engine.projectionStatus().get(0);
        assertThat(status.stopped()).isTrue();
        assertThat(status.failure()).contains("bank-account/acc-1@3").contains("brings bad luck");
        assertThat(store.loadDeadLetters("superstitious")).isEmpty();
    }

    @Test
    void rebuildGivesTheSameReadModel() {
        Balances balances = new Balances();
        engine.registerProjection(balances, StreamOptions.named("rebuild").partitions(3));
        engine.start();
        for (int i = 0; i < 120; i++) {
            deposit("acc-" + i % 9, i + 1);
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        Map<String, Long> before = new HashMap<>(balances.balances);
        Map<String, List<Long>> versionsBefore = new HashMap<>(balances.versions);
        long eventsBefore = balances.events.get();

        engine.rebuildProjection(balances);

        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(balances.balances).isEqualTo(before);
        assertThat(balances.versions).isEqualTo(versionsBefore);
        assertThat(balances.events).hasValue(eventsBefore);
    }

    @Test
    void closeDrainsBeforeItReturns() {
        Balances slow = new Balances();
        slow.pauseNanos = 100_000;
        engine.registerProjection(slow, StreamOptions.named("drain").bufferSize(2));
        engine.start();
        for (int i = 0; i < 100; i++) {
            deposit("acc-" + i % 4, 1);
        }
        engine.close();
        assertThat(slow.events).hasValue(104);
        assertThat(store.loadCheckpoints("balances")).containsEntry(0, store.headPosition());
    }
}
