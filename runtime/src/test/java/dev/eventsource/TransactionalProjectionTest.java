package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.TransactionalCheckpoints;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Events.Added;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Transactional projections against a fake store whose "database" commits a read model and checkpoint together. */
class TransactionalProjectionTest {

    /** The fake database's transaction: staged writes, applied on commit. */
    static final class FakeTx {
        final Map<String, Long> staged = new HashMap<>();
        boolean truncate;
    }

    /** An in-memory store with transactions over one shared read-model table. */
    static final class TxStore extends ForwardingEventStore implements TransactionalCheckpoints {
        final Map<String, Long> table = new HashMap<>();
        final AtomicInteger commits = new AtomicInteger();
        final AtomicInteger failCommits = new AtomicInteger();
        /** Commits that go through, after which the caller is told they failed (the reply was lost). */
        final AtomicInteger loseCommitReplies = new AtomicInteger();
        /** Failures of the work reported as the store's: as if its connection had broken under it. */
        final AtomicInteger workFailuresFromTheStore = new AtomicInteger();
        /** How long each commit takes, as a database's would (0: instant). */
        volatile long commitMillis;

        TxStore() {
            super(new InMemoryStore());
        }

        @Override
        public Class<?> transactionType() {
            return FakeTx.class;
        }

        @Override
        public synchronized void inTransaction(String projection, int partition, long position, TransactionWork work) {
            commit(projection, work, () -> delegate().saveCheckpoint(projection, partition, position));
        }

        @Override
        public synchronized void resetInTransaction(String projection, TransactionWork work) {
            commit(projection, work, () -> delegate().deleteCheckpoints(projection));
        }

        /** Runs the work; on success applies its changes and the checkpoint change together. */
        private void commit(String projection, TransactionWork work, Runnable checkpoints) {
            FakeTx tx = new FakeTx();
            try {
                work.run(tx);
            } catch (Exception e) {
                if (workFailuresFromTheStore.get() > 0) {
                    workFailuresFromTheStore.decrementAndGet();
                    throw new StoreUnavailableException("connection broke in the transaction of " + projection, e);
                }
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                throw new StoreException("transaction of " + projection + " rolled back", e);
            }
            if (commitMillis > 0) {
                try {
                    Thread.sleep(commitMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failCommits.get() > 0) {
                failCommits.decrementAndGet();
                throw new StoreException("connection lost during commit");
            }
            if (tx.truncate) {
                table.clear();
            }
            tx.staged.forEach((k, v) -> table.merge(k, v, Long::sum));
            checkpoints.run();
            commits.incrementAndGet();
            if (loseCommitReplies.get() > 0) {
                loseCommitReplies.decrementAndGet();
                throw new StoreException("connection lost after the commit was sent");
            }
        }

        synchronized Map<String, Long> table() {
            return new HashMap<>(table);
        }
    }

    /** Sums amounts per counter into the fake table; can fail on one amount a number of times. */
    static final class Sums implements TransactionalProjection<FakeTx> {
        volatile long failOn = Long.MIN_VALUE;
        volatile int failTimes;
        volatile boolean failReset;
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void handle(EventEnvelope<?> event, FakeTx tx) {
            if (event.data() instanceof Added a) {
                if (a.amount() == failOn && failures.get() < failTimes) {
                    failures.incrementAndGet();
                    throw new IllegalStateException("fails on " + a.amount());
                }
                tx.staged.merge(a.id(), a.amount(), Long::sum);
            }
        }

        @Override
        public void reset(FakeTx tx) {
            tx.truncate = true;
            if (failReset) {
                throw new IllegalStateException("reset refused");
            }
        }

        @Override
        public String name() {
            return "sums";
        }

        @Override
        public Class<FakeTx> transactionType() {
            return FakeTx.class;
        }
    }

    private final TxStore store = new TxStore();
    private Engine engine = engine();

    private Engine engine() {
        Engine e = Engine.builder().store(store).build();
        e.registerAggregate(Counter.class);
        return e;
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static StreamOptions options() {
        return StreamOptions.named("sums").partitions(2).backoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2));
    }

    /**
     * The projection's checkpoints once every partition has saved the position it reports. A
     * partition that only skipped events saves its position lazily (when idle, or when stopped, as a
     * rebuild does), so reading them earlier races that save.
     */
    private Map<Integer, Long> settledCheckpoints(String projection) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Map<Integer, Long> saved = store.loadCheckpoints(projection);
            boolean settled = engine.projectionStatus().stream().filter(p -> p.projection().equals(projection))
                    .allMatch(p -> saved.getOrDefault(p.partition(), -1L) == p.position());
            if (settled) {
                return saved;
            }
            assertThat(System.nanoTime()).as("checkpoints of %s settle: %s", projection, saved).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private void add(String id, long amount) {
        engine.execute(Counter.class, id, new Add(id, amount));
    }

    @Test
    void eventsAndCheckpointsCommitTogetherInBatches() {
        // Commits that take a moment, as a database's do: an instant one lets a worker race the reader and
        // take the events one by one on a busy machine, which says nothing about batching.
        store.commitMillis = 2;
        Sums sums = new Sums();
        engine.registerProjection(sums, options());
        for (int i = 0; i < 100; i++) {
            add("c" + (i % 5), 2);
        }
        engine.start();
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(store.table()).containsOnlyKeys("c0", "c1", "c2", "c3", "c4").allSatisfy((k, v) -> assertThat(v).isEqualTo(40L));
        assertThat(store.commits.get()).as("batched, not one transaction per event").isLessThan(50);
    }

    @Test
    void failingHandlerRollsBackAndIsRetriedSoEveryEventCountsOnce() {
        Sums sums = new Sums();
        sums.failOn = 7;
        sums.failTimes = 2;
        engine.registerProjection(sums, options());
        for (int i = 0; i < 20; i++) {
            add("c" + (i % 3), i == 10 ? 7 : 1);
        }
        engine.start();
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(store.table().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(19 + 7);
        assertThat(store.loadDeadLetters("sums")).isEmpty();
    }

    @Test
    void eventThatKeepsFailingIsDeadLetteredAndTheRestCommitted() {
        Sums sums = new Sums();
        sums.failOn = 7;
        sums.failTimes = Integer.MAX_VALUE;
        engine.registerProjection(sums, options());
        add("a", 1);
        add("a", 7);
        add("a", 2);
        engine.start();
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(store.table()).containsEntry("a", 3L);
        assertThat(store.loadDeadLetters("sums")).singleElement()
                .satisfies(d -> assertThat(d.error()).contains("fails on 7"));
    }

    @Test
    void storeFailuresAreRetriedUntilTheyPass() {
        Sums sums = new Sums();
        store.failCommits.set(3);
        engine.registerProjection(sums, options());
        add("a", 5);
        engine.start();
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(store.table()).containsEntry("a", 5L);
        assertThat(store.loadDeadLetters("sums")).isEmpty();
    }

    @Test
    void aTransactionThatCommittedAlthoughItsCommitFailedIsNotRunAgain() {
        Sums sums = new Sums();
        store.loseCommitReplies.set(1);
        engine.registerProjection(sums, options());
        add("a", 5);
        engine.start();
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(store.loseCommitReplies).as("a reply was lost").hasValue(0);
        add("a", 1);
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(store.table()).as("each event once").containsEntry("a", 6L);
    }

    @Test
    void aProjectionFailureTheStoreCausedIsRetriedWithoutCountingAnAttempt() {
        Sums sums = new Sums();
        sums.failOn = 7;
        sums.failTimes = 3;
        store.workFailuresFromTheStore.set(3);
        engine.registerProjection(sums, options().maxAttempts(1));
        add("a", 7);
        engine.start();
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(sums.failures).hasValue(3);
        assertThat(store.loadDeadLetters("sums")).as("the store was at fault, not the event").isEmpty();
        assertThat(store.table()).containsEntry("a", 7L);
    }

    @Test
    void restartResumesExactlyWhereTheCommittedCheckpointsAre() {
        engine.registerProjection(new Sums(), options());
        engine.start();
        for (int i = 0; i < 10; i++) {
            add("a", 1);
        }
        engine.close();
        for (int i = 0; i < 10; i++) {
            try (Engine writer = engine()) {
                writer.execute(Counter.class, "a", new Add("a", 1));
            }
        }
        engine = engine();
        engine.registerProjection(new Sums(), options());
        engine.start();
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(store.table()).containsEntry("a", 20L);
    }

    @Test
    void rebuildResetsInATransactionAndReplays() {
        Sums sums = new Sums();
        engine.registerProjection(sums, options());
        engine.start();
        add("a", 4);
        add("b", 6);
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        synchronized (store) {
            store.table.put("junk", 1L);
        }
        engine.rebuildProjection(sums);
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(store.table()).containsOnly(Map.entry("a", 4L), Map.entry("b", 6L));
    }

    @Test
    void failedResetLeavesTheReadModelAndItsCheckpointsAsTheyWere() {
        Sums sums = new Sums();
        engine.registerProjection(sums, options());
        engine.start();
        add("a", 4);
        add("b", 6);
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        Map<Integer, Long> checkpoints = settledCheckpoints("sums");
        assertThat(checkpoints).isNotEmpty();

        sums.failReset = true;
        assertThatThrownBy(() -> engine.rebuildProjection(sums)).isInstanceOf(EventSourceException.class)
                .hasMessageContaining("sums").hasRootCauseMessage("reset refused");

        // Reset and forgetting the checkpoints are one transaction: neither happened.
        assertThat(store.loadCheckpoints("sums")).isEqualTo(checkpoints);
        assertThat(store.table()).containsOnly(Map.entry("a", 4L), Map.entry("b", 6L));

        sums.failReset = false;
        engine.rebuildProjection(sums);
        assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        assertThat(store.table()).containsOnly(Map.entry("a", 4L), Map.entry("b", 6L));
    }

    @Test
    void registrationChecksTheStoreRoleAndTransactionType() {
        try (Engine plain = new Engine(new InMemoryStore())) {
            assertThatThrownBy(() -> plain.registerProjection(new Sums(), options()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a store with transactions");
        }
        TransactionalProjection<String> wrongType = new TransactionalProjection<>() {
            @Override public void handle(EventEnvelope<?> event, String tx) { }
            @Override public void reset(String tx) { }
            @Override public String name() { return "wrong"; }
            @Override public Class<String> transactionType() { return String.class; }
        };
        assertThatThrownBy(() -> engine.registerProjection(wrongType, options()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expects a java.lang.String").hasMessageContaining(FakeTx.class.getName());
        assertThatThrownBy(() -> engine.registerProjection(new Sums()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot run inline");
    }
}
