package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.TransactionalProjectionTest.Sums;
import dev.eventsource.TransactionalProjectionTest.TxStore;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Events.Added;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine.retryDeadLetters on the in-memory store: asynchronous, inline and transactional projections. */
class DeadLetterRetryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A clock the test moves: dead letters are stamped with it. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    /**
     * Records the amounts of Added events per counter; fails on amounts above {@code failAbove} while
     * {@code broken}. Counts calls overlapping in time: with one partition (and inline under the order
     * locks) the engine must never make one.
     */
    static final class Amounts implements Projection {
        final String name;
        final Map<String, List<Long>> amounts = new ConcurrentHashMap<>();
        final AtomicBoolean inside = new AtomicBoolean();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        volatile boolean broken;
        volatile long failAbove = 100;

        Amounts(String name) {
            this.name = name;
        }

        @Override
        public void handle(EventEnvelope<?> e) {
            if (!inside.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            try {
                if (e.data() instanceof Added a) {
                    if (broken && a.amount() > failAbove) {
                        failures.incrementAndGet();
                        throw new IllegalStateException("bug: cannot handle amount " + a.amount());
                    }
                    amounts.computeIfAbsent(a.id(), k -> new CopyOnWriteArrayList<>()).add(a.amount());
                }
            } finally {
                inside.set(false);
            }
        }

        @Override
        public void reset() {
            amounts.clear();
        }

        @Override
        public String name() {
            return name;
        }
    }

    private final TestClock clock = new TestClock();
    private final InMemoryStore store = new InMemoryStore();
    private final List<Engine> engines = new ArrayList<>();

    private Engine engine(EventStore on) {
        Engine e = Engine.builder().store(on).snapshotEvery(0).clock(clock).build();
        e.registerAggregate(Counter.class);
        engines.add(e);
        return e;
    }

    @AfterEach
    void close() {
        engines.forEach(Engine::close);
    }

    /** A registered projection with its bug on, on a started engine. */
    private static Amounts broken(Engine engine, String name, StreamOptions options) {
        Amounts amounts = new Amounts(name);
        amounts.broken = true;
        if (options == null) {
            engine.registerProjection(amounts);
        } else {
            engine.registerProjection(amounts, options);
        }
        engine.start();
        return amounts;
    }

    private static StreamOptions fast(String name) {
        return StreamOptions.named(name).backoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2));
    }

    private static void add(Engine engine, String id, long amount) {
        engine.execute(Counter.class, id, new Add(id, amount));
    }

    private static long deadLetterCount(Engine engine, String projection) {
        return engine.projectionStatus().stream().filter(s -> s.projection().equals(projection))
                .mapToLong(ProjectionStatus::deadLetters).sum();
    }

    @Test
    void fixedProjectionRetriesItsDeadLettersInPositionOrderAndTheyAreGone() {
        Engine engine = engine(store);
        Amounts amounts = broken(engine, "amounts", fast("amounts").partitions(3));
        for (int i = 0; i < 6; i++) {
            add(engine, "c" + i, 1);
            add(engine, "c" + i, 200 + i);
            add(engine, "c" + i, 2);
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(store.loadDeadLetters("amounts")).hasSize(6);
        assertThat(deadLetterCount(engine, "amounts")).isEqualTo(6);

        amounts.broken = false;                                           // the fix is deployed
        int retried = engine.retryDeadLetters(amounts);

        assertThat(retried).isEqualTo(6);
        assertThat(store.loadDeadLetters("amounts")).isEmpty();
        for (int i = 0; i < 6; i++) {
            assertThat(amounts.amounts.get("c" + i)).as("c%s", i).containsExactly(1L, 2L, 200L + i);
        }
        assertThat(deadLetterCount(engine, "amounts")).as("the status no longer counts them").isZero();
        assertThat(engine.retryDeadLetters(amounts)).as("nothing left: at once").isZero();
    }

    @Test
    void aRetryThatFailsAgainKeepsTheDeadLetterWithTheAttemptsAddedUpAndTheNewError() {
        Engine engine = engine(store);
        Amounts amounts = broken(engine, "again", fast("again").maxAttempts(2));
        add(engine, "a", 500);
        add(engine, "a", 1);
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        DeadLetter first = store.loadDeadLetters("again").get(0);
        assertThat(first.attempts()).isEqualTo(2);
        assertThat(first.failedAt()).isEqualTo(clock.instant());

        clock.now.set(Instant.parse("2026-12-01T11:30:00Z"));
        amounts.failAbove = 400;                                         // a fix that is not one
        assertThat(engine.retryDeadLetters(amounts)).isZero();

        assertThat(store.loadDeadLetters("again")).singleElement().satisfies(d -> {
            assertThat(d.globalPosition()).isEqualTo(first.globalPosition());
            assertThat(d.attempts()).isEqualTo(4);
            assertThat(d.failedAt()).isEqualTo(Instant.parse("2026-12-01T11:30:00Z"));
            assertThat(d.error()).contains("bug: cannot handle amount 500");
            assertThat(d.partition()).isEqualTo(first.partition());
        });
        assertThat(deadLetterCount(engine, "again")).as("still one, not two").isEqualTo(1);

        amounts.broken = false;
        assertThat(engine.retryDeadLetters(amounts)).isEqualTo(1);
        assertThat(amounts.amounts.get("a")).containsExactly(1L, 500L);
        assertThat(amounts.overlaps).as("one partition: never two threads at once").hasValue(0);
    }

    @Test
    void anInlineProjectionRetriesOnTheCallersThread() {
        Engine engine = engine(store);
        Amounts amounts = broken(engine, "inline", null);
        add(engine, "a", 1);
        add(engine, "a", 300);
        assertThat(store.loadDeadLetters("inline")).hasSize(1);
        assertThat(deadLetterCount(engine, "inline")).isEqualTo(1);

        amounts.broken = false;
        assertThat(engine.retryDeadLetters(amounts)).isEqualTo(1);

        assertThat(amounts.amounts.get("a")).containsExactly(1L, 300L);
        assertThat(store.loadDeadLetters("inline")).isEmpty();
        assertThat(deadLetterCount(engine, "inline")).isZero();
        assertThat(amounts.overlaps).hasValue(0);
    }

    /** A store whose log no longer shows some positions, as if an archiving job had removed their events. */
    static final class Archived extends ForwardingEventStore {
        final Set<Long> removed = ConcurrentHashMap.newKeySet();

        Archived(EventStore delegate) {
            super(delegate);
        }

        @Override
        public List<StoredEvent> readLog(long afterPosition, int limit) {
            return super.readLog(afterPosition, limit).stream().filter(e -> !removed.contains(e.globalPosition())).toList();
        }
    }

    @Test
    void aDeadLetterWhoseEventIsGoneOrNotReachedYetStaysAndIsReported() {
        Archived archived = new Archived(store);
        Engine engine = engine(archived);
        Amounts amounts = broken(engine, "gone", fast("gone"));
        add(engine, "a", 1);
        add(engine, "a", 300);
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        DeadLetter letter = store.loadDeadLetters("gone").get(0);
        archived.removed.add(letter.globalPosition());
        DeadLetter ahead = new DeadLetter("gone", 0, store.headPosition() + 1_000, "Counter", "a", 99, "Added", 3, "boom",
                clock.instant());
        store.saveDeadLetter(ahead);
        amounts.broken = false;

        assertThat(engine.retryDeadLetters(amounts)).isZero();

        assertThat(store.loadDeadLetters("gone")).containsExactly(letter, ahead);
        assertThat(amounts.amounts.get("a")).containsExactly(1L);
        assertThat(deadLetterCount(engine, "gone")).isEqualTo(1);
    }

    @Test
    void aRebuildDropsTheDeadLettersFromBeforeAndRecordsAgainThoseThatStillFail() {
        Engine engine = engine(store);
        Amounts amounts = broken(engine, "rebuilt", fast("rebuilt").partitions(2));
        add(engine, "a", 1);
        add(engine, "a", 300);
        add(engine, "b", 400);
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(store.loadDeadLetters("rebuilt")).hasSize(2);

        amounts.failAbove = 350;                                         // half a fix: 300 passes now, 400 not
        engine.rebuildProjection(amounts);

        assertThat(amounts.amounts.get("a")).containsExactly(1L, 300L);
        assertThat(store.loadDeadLetters("rebuilt")).singleElement().satisfies(d -> {
            assertThat(d.streamId()).isEqualTo("b");
            assertThat(d.attempts()).as("recorded anew by the replay").isEqualTo(3);
        });
        amounts.broken = false;
        assertThat(engine.retryDeadLetters(amounts)).isEqualTo(1);
        assertThat(amounts.amounts.get("a")).as("300 was not applied twice").containsExactly(1L, 300L);
        assertThat(amounts.amounts.get("b")).containsExactly(400L);
    }

    @Test
    void lifecycleAndUnknownProjectionsAreReportedClearly() {
        Engine engine = engine(store);
        Amounts amounts = new Amounts("life");
        engine.registerProjection(amounts, fast("life"));

        assertThatThrownBy(() -> engine.retryDeadLetters(amounts)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("engine not started");
        engine.start();
        assertThat(engine.retryDeadLetters(amounts)).isZero();
        assertThatThrownBy(() -> engine.retryDeadLetters(new Amounts("other")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a registered projection");
        engine.close();
        assertThatThrownBy(() -> engine.retryDeadLetters(amounts)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("engine is closed");
    }

    @Test
    void aTransactionalProjectionRetriesInATransactionOfItsOwnAndTheCheckpointStays() {
        TxStore tx = new TxStore();
        Engine engine = engine(tx);
        Sums sums = new Sums();
        sums.failOn = 7;
        sums.failTimes = Integer.MAX_VALUE;
        engine.registerProjection(sums, StreamOptions.named("sums").partitions(2).backoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(2)));
        engine.start();
        add(engine, "a", 1);
        add(engine, "a", 7);
        add(engine, "b", 7);
        add(engine, "b", 2);
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(tx.loadDeadLetters("sums")).hasSize(2);
        assertThat(tx.table()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1L, "b", 2L));
        long head = tx.headPosition();

        sums.failTimes = 0;
        assertThat(engine.retryDeadLetters(sums)).isEqualTo(2);

        assertThat(tx.table()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 8L, "b", 9L));
        assertThat(tx.loadDeadLetters("sums")).isEmpty();
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(tx.loadCheckpoints("sums").values()).as("no checkpoint went back").allSatisfy(c ->
                assertThat(c).isLessThanOrEqualTo(head));
        add(engine, "a", 3);
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(tx.table()).containsEntry("a", 11L);
    }
}
