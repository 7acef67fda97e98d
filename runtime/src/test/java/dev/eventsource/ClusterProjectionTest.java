package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.Lease;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Events.Added;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several engines (instances) in one JVM on one shared store with partition leases ({@link LeaseStore}):
 * partitions spread evenly and move on join, close and death, every event is handled once across the
 * instances, a lost lease stops only that partition, a rebuild on one instance replays every
 * partition once, and status shows the whole cluster. The store's clock moves only when a test moves
 * it, so no lease runs out behind a test's back: nothing here depends on timing but the deadlines of
 * the polls.
 */
class ClusterProjectionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A short lease timeout: the lease thread ticks every 100 ms. */
    private static final Duration FAST = Duration.ofMillis(500);

    private final LeaseStore store = new LeaseStore();
    /** How often each global position was handled, across every engine's {@link Counting}. */
    private final Map<Long, AtomicInteger> handled = new ConcurrentHashMap<>();
    private final List<Engine> engines = new CopyOnWriteArrayList<>();
    /** Whether {@link Counting} fails on amount 13 (a bug, until it is fixed). */
    private volatile boolean broken = true;

    @AfterEach
    void closeAll() {
        for (Engine e : engines) {
            e.close();
        }
    }

    /** A plain projection counting the positions it handles into the shared {@link #handled}; fails on amount 13 while {@link #broken}. */
    final class Counting implements Projection {
        @Override
        public void handle(EventEnvelope<?> event) {
            if (broken && event.data() instanceof Added a && a.amount() == 13) {
                throw new IllegalStateException("cannot handle 13");
            }
            handled.computeIfAbsent(event.globalPosition(), k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void reset() {
            handled.clear();
        }

        @Override
        public String name() {
            return "count";
        }
    }

    /** A transactional projection counting positions into the store's table, committed with the checkpoint. */
    static final class TxCounting implements TransactionalProjection<LeaseStore.Tx> {
        @Override
        public void handle(EventEnvelope<?> event, LeaseStore.Tx tx) {
            tx.staged.merge(event.globalPosition(), 1, Integer::sum);
        }

        @Override
        public void reset(LeaseStore.Tx tx) {
            tx.truncate = true;
        }

        @Override
        public String name() {
            return "count";
        }

        @Override
        public Class<LeaseStore.Tx> transactionType() {
            return LeaseStore.Tx.class;
        }
    }

    private static StreamOptions options(int partitions) {
        return StreamOptions.named("count").partitions(partitions).backoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2));
    }

    private Engine engine(String id, Duration leaseTimeout, Object projection, StreamOptions options) {
        Engine e = Engine.builder().store(store).instanceId(id).leaseTimeout(leaseTimeout).snapshotEvery(0).build();
        e.registerAggregate(Counter.class);
        e.registerProjection(projection, options);
        engines.add(e);
        return e;
    }

    private Engine started(String id, Duration leaseTimeout, Object projection, int partitions) {
        Engine e = engine(id, leaseTimeout, projection, options(partitions));
        e.start();
        return e;
    }

    /** Engines "a" and "b" running {@code first} and {@code second}, two partitions each of 4, after 100 events. */
    private Engine[] settledPair(Object first, Object second) {
        Engine a = started("a", FAST, first, 4);
        Engine b = started("b", FAST, second, 4);
        awaitOwners(Map.of("a", 2, "b", 2));
        addMany(a, 100);
        assertCaughtUp(a, b);
        return new Engine[] {a, b};
    }

    private static void add(Engine engine, String id, long amount) {
        for (int attempt = 0; ; attempt++) {
            try {
                engine.execute(Counter.class, id, new Add(id, amount));
                return;
            } catch (ConcurrencyException e) {
                assertThat(attempt).isLessThan(100);     // several engines write the same counters
            }
        }
    }

    private static void addMany(Engine engine, int events) {
        for (int i = 0; i < events; i++) {
            add(engine, "c" + (i % 17), 1);
        }
    }

    /** How many partitions of {@code count} each live instance holds. */
    private Map<String, Integer> owners() {
        Map<String, Integer> out = new TreeMap<>();
        for (Lease l : store.leases("count")) {
            if (l.owner() != null) {
                out.merge(l.owner(), 1, Integer::sum);
            }
        }
        return out;
    }

    private Set<Integer> partitionsOf(String owner) {
        return store.leases("count").stream().filter(l -> l.heldBy(owner)).map(Lease::partition).collect(Collectors.toSet());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private void awaitOwners(Map<String, Integer> expected) {
        await("the partitions are held as " + expected + " (now " + owners() + ")", () -> owners().equals(expected));
    }

    /** Every position of the log was handled exactly once by the plain projections, whichever engine ran it. */
    private void assertEachEventHandledOnce() {
        long head = store.headPosition();
        assertThat(head).isPositive();
        Map<Long, Integer> counts = new TreeMap<>();
        handled.forEach((p, n) -> counts.put(p, n.get()));
        assertThat(counts).hasSize((int) head).allSatisfy((p, n) -> assertThat(n).as("times position %d was handled", p)
                .isEqualTo(1));
    }

    /** As {@link #assertEachEventHandledOnce}, for the transactional projections' table. */
    private void assertEachEventCommittedOnce() {
        long head = store.headPosition();
        assertThat(store.table()).hasSize((int) head).allSatisfy((p, n) -> assertThat(n).as("times position %d was applied", p)
                .isEqualTo(1));
    }

    private static void assertCaughtUp(Engine... engines) {
        for (Engine e : engines) {
            assertThat(e.awaitProjections(WAIT)).as("%s caught up", e.instanceId()).isTrue();
        }
    }

    /** Commands on {@code engine} from another thread until {@link #stop}. */
    private static final class Writer implements AutoCloseable {
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicInteger written = new AtomicInteger();
        final Thread thread;

        Writer(Engine engine) {
            thread = new Thread(() -> {
                while (writing.get()) {
                    add(engine, "w" + written.get() % 7, 1);
                    written.incrementAndGet();
                }
            });
            thread.start();
        }

        void awaitWritten(int atLeast) {
            int target = written.get() + atLeast;
            await(atLeast + " more events written", () -> written.get() >= target);
        }

        @Override
        public void close() throws InterruptedException {
            writing.set(false);
            thread.join();
        }
    }

    @Test
    void joiningInstancesTakeTheirShareWhileEveryEventIsHandledExactlyOnce() throws Exception {
        Engine a = started("a", FAST, new Counting(), 8);
        awaitOwners(Map.of("a", 8));
        Engine b;
        Engine c;
        try (Writer writer = new Writer(a)) {
            writer.awaitWritten(50);
            b = started("b", FAST, new Counting(), 8);
            awaitOwners(Map.of("a", 4, "b", 4));
            assertThat(partitionsOf("a")).as("the owner hands over its highest partitions").containsExactlyInAnyOrder(0, 1, 2, 3);
            writer.awaitWritten(50);
            c = started("c", FAST, new Counting(), 8);
            // share ceil(8 / 3) = 3: a gives up 3, b gives up 7, c takes both
            awaitOwners(Map.of("a", 3, "b", 3, "c", 2));
            writer.awaitWritten(50);
        }
        assertCaughtUp(a, b, c);
        assertEachEventHandledOnce();
    }

    @Test
    void threeInstancesStartedTogetherSettleAtThreeThreeTwo() {
        for (String id : List.of("x", "y", "z")) {
            started(id, FAST, new Counting(), 8);
        }
        await("three instances hold 3, 3 and 2 partitions", () -> {
            List<Integer> held = new ArrayList<>(owners().values());
            held.sort(null);
            return held.equals(List.of(2, 3, 3));
        });
        addMany(engines.get(0), 100);
        assertCaughtUp(engines.toArray(Engine[]::new));
        assertEachEventHandledOnce();
    }

    @Test
    void closeHandsThePartitionsOverAtOnce() throws Exception {
        Engine a = started("a", FAST, new Counting(), 8);
        Engine b = started("b", FAST, new Counting(), 8);
        awaitOwners(Map.of("a", 4, "b", 4));
        try (Writer writer = new Writer(a)) {
            writer.awaitWritten(50);
            b.close();
            assertThat(owners()).as("b left: its partitions are free at once").containsOnlyKeys("a");
            awaitOwners(Map.of("a", 8));
            writer.awaitWritten(50);
        }
        assertCaughtUp(a);
        assertEachEventHandledOnce();
    }

    @Test
    void aDeadInstanceLosesItsPartitionsOnceItsLeasesRunOut() {
        Engine victim = started("victim", Duration.ofMillis(200), new Counting(), 8);
        awaitOwners(Map.of("victim", 8));
        Engine survivor = started("survivor", Duration.ofSeconds(1), new Counting(), 8);
        awaitOwners(Map.of("victim", 4, "survivor", 4));
        addMany(survivor, 100);
        assertCaughtUp(victim, survivor);

        // The victim dies: cut off from the store, it can neither save nor leave, and its threads end.
        store.cut("victim");
        victim.close();
        int beats = store.heartbeats("survivor");
        await("the survivor heartbeats twice more", () -> store.heartbeats("survivor") >= beats + 2);
        assertThat(owners()).as("the victim's leases run until they expire").isEqualTo(Map.of("victim", 4, "survivor", 4));

        store.advance(Duration.ofMillis(300));     // past the victim's timeout, within the survivor's
        awaitOwners(Map.of("survivor", 8));
        addMany(survivor, 100);
        assertCaughtUp(survivor);
        assertEachEventHandledOnce();
    }

    @Test
    void aFailingHeartbeatKeepsThePartitionsRunningUntilTheirLeasesRunOut() {
        Engine a = started("a", FAST, new Counting(), 4);
        Engine b = started("b", FAST, new Counting(), 4);
        awaitOwners(Map.of("a", 2, "b", 2));

        store.mute("a");                           // a's heartbeats fail; its leases have not run out
        int beats = store.heartbeats("b");
        await("b heartbeats three more times", () -> store.heartbeats("b") >= beats + 3);
        addMany(b, 50);
        assertCaughtUp(a, b);
        assertThat(owners()).as("no one took a's partitions").isEqualTo(Map.of("a", 2, "b", 2));

        store.heal("a");
        int back = store.heartbeats("a");
        await("a heartbeats again", () -> store.heartbeats("a") > back);
        addMany(a, 50);
        assertCaughtUp(a, b);
        assertThat(owners()).isEqualTo(Map.of("a", 2, "b", 2));
        assertEachEventHandledOnce();
    }

    @Test
    void aLostLeaseStopsOnlyThatPartitionHereWithoutFailureOrDeadLetterAndItsCommitIsRefused() {
        Engine a = started("a", Duration.ofMillis(200), new TxCounting(), 4);
        awaitOwners(Map.of("a", 4));
        addMany(a, 50);
        assertCaughtUp(a);

        // a's lease thread stalls (its workers still reach the store) until its leases run out; b takes them.
        store.mute("a");
        store.advance(Duration.ofMillis(300));
        Engine b = started("b", Duration.ofSeconds(1), new TxCounting(), 4);
        awaitOwners(Map.of("b", 4));

        addMany(a, 50);                            // a's reader sees them too, but its fenced commits are refused
        await("a's workers found their leases lost", () -> store.refused.getOrDefault("a", new AtomicInteger()).get() >= 1);
        assertCaughtUp(b);
        assertThat(a.awaitProjections(WAIT)).as("cluster-wide: b's checkpoints count").isTrue();
        assertEachEventCommittedOnce();
        assertThat(store.loadDeadLetters("count")).isEmpty();
        assertThat(a.projectionStatus()).hasSize(4).allSatisfy(s -> {
            assertThat(s.stopped()).as("a lost lease is no failure").isFalse();
            assertThat(s.owner()).isEqualTo("b");
            assertThat(s.deadLetters()).isZero();
        });

        store.heal("a");                           // a is back: it rejoins and takes its share again
        awaitOwners(Map.of("a", 2, "b", 2));
        addMany(b, 50);
        assertCaughtUp(a, b);
        assertEachEventCommittedOnce();
    }

    @Test
    void aRebuildOnOneInstanceReplaysEveryPartitionOnceAcrossBoth() {
        Counting counting = new Counting();
        Engine[] pair = settledPair(counting, new Counting());
        Engine a = pair[0];
        Engine b = pair[1];
        assertEachEventHandledOnce();

        a.rebuildProjection(counting);             // resets the shared read model once, and waits cluster-wide

        assertEachEventHandledOnce();
        awaitOwners(Map.of("a", 2, "b", 2));
        addMany(b, 50);
        assertCaughtUp(a, b);
        assertEachEventHandledOnce();
    }

    @Test
    void aTransactionalRebuildWhileCommandsGoOnAppliesEveryEventOnce() throws Exception {
        TxCounting counting = new TxCounting();
        Engine[] pair = settledPair(counting, new TxCounting());
        Engine a = pair[0];
        Engine b = pair[1];

        try (Writer writer = new Writer(b)) {
            writer.awaitWritten(20);
            a.rebuildProjection(counting);
            writer.awaitWritten(20);
        }
        assertCaughtUp(a, b);
        assertEachEventCommittedOnce();
    }

    @Test
    void statusShowsEveryPartitionOfTheClusterWithOwnerLeaseCheckpointHeadAndFailures() {
        Counting counting = new Counting();
        Engine a = started("a", FAST, counting, 4);
        Engine b = engine("b", FAST, new Counting(), options(4).onFailure(FailurePolicy.STOP_PARTITION));
        b.start();
        awaitOwners(Map.of("a", 2, "b", 2));
        addMany(a, 50);
        assertCaughtUp(a, b);
        long head = store.headPosition();
        await("every partition's checkpoint is saved", () -> store.loadCheckpoints("count").values().stream()
                .allMatch(c -> c == head) && store.loadCheckpoints("count").size() == 4);

        for (Engine e : List.of(a, b)) {
            List<ProjectionStatus> status = e.projectionStatus();
            assertThat(status).extracting(ProjectionStatus::partition).containsExactly(0, 1, 2, 3);
            assertThat(status).allSatisfy(s -> {
                assertThat(s.owner()).isEqualTo(partitionsOf("a").contains(s.partition()) ? "a" : "b");
                assertThat(s.leaseExpiresAt()).isNotNull();
                assertThat(s.position()).isEqualTo(head);
                assertThat(s.checkpoint()).isEqualTo(head);
                assertThat(s.headPosition()).isEqualTo(head);
                assertThat(s.lag()).isZero();
                assertThat(s.stopped()).isFalse();
            });
        }

        int stopping = partitionsOf("b").iterator().next();
        add(a, ProjectionTest.idInPartition(stopping, 4), 13);   // b stops that partition; a sees it
        await("a shows b's stopped partition", () -> a.projectionStatus().get(stopping).stopped());
        ProjectionStatus seen = a.projectionStatus().get(stopping);
        assertThat(seen.owner()).isEqualTo("b");
        assertThat(seen.failure()).contains("cannot handle 13");
        assertThat(seen.lag()).isEqualTo(1);
        assertThat(a.awaitProjections(Duration.ofSeconds(5))).as("a partition stopped elsewhere").isFalse();

        broken = false;                            // the fix is deployed; a rebuild on a recovers b's partition too
        a.rebuildProjection(counting);
        assertThat(a.projectionStatus()).noneMatch(ProjectionStatus::stopped);
        assertCaughtUp(a, b);
        assertEachEventHandledOnce();
    }

    @Test
    void eachInstanceRetriesTheDeadLettersOfThePartitionsItRunsAndReportsTheOthers() {
        Counting onA = new Counting();
        Counting onB = new Counting();
        Engine[] pair = settledPair(onA, onB);
        Engine a = pair[0];
        Engine b = pair[1];
        for (int p = 0; p < 4; p++) {
            add(a, ProjectionTest.idInPartition(p, 4), 13);          // one dead letter per partition
        }
        assertCaughtUp(a, b);
        assertThat(store.loadDeadLetters("count")).hasSize(4);
        broken = false;

        assertThat(a.retryDeadLetters(onA)).as("a's two partitions").isEqualTo(2);
        assertThat(store.loadDeadLetters("count")).extracting(DeadLetter::partition)
                .containsExactlyInAnyOrderElementsOf(partitionsOf("b"));
        assertThat(b.retryDeadLetters(onB)).as("b's two partitions").isEqualTo(2);

        assertThat(store.loadDeadLetters("count")).isEmpty();
        assertEachEventHandledOnce();
    }

    @Test
    void defaultInstanceIdsAreHostAndPidAndUniquePerEngineInTheJvm() {
        try (Engine first = new Engine(new InMemoryStore()); Engine second = new Engine(new InMemoryStore())) {
            String pid = ":" + ProcessHandle.current().pid();
            assertThat(first.instanceId()).matches(".+" + pid + "(#\\d+)?");
            assertThat(second.instanceId()).matches(".+" + pid + "#\\d+").isNotEqualTo(first.instanceId());
        }
        try (Engine named = Engine.builder().instanceId("web-1").build()) {
            assertThat(named.instanceId()).isEqualTo("web-1");
        }
    }

    @Test
    void theBuilderRefusesBadInstanceIdsAndLeaseTimeouts() {
        assertThatThrownBy(() -> Engine.builder().instanceId(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instanceId must not be blank: ' '");
        assertThatThrownBy(() -> Engine.builder().instanceId("x".repeat(201))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("instanceId must be at most 200 characters: 201");
        assertThatThrownBy(() -> Engine.builder().instanceId("web\n1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instanceId must not contain control characters: 'web?1'");
        assertThatThrownBy(() -> Engine.builder().instanceId(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Engine.builder().leaseTimeout(Duration.ofMillis(99))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("leaseTimeout must be at least 100 ms (the heartbeat runs every fifth of it): PT0.099S");
        assertThatThrownBy(() -> Engine.builder().leaseTimeout(Duration.ofMinutes(11))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("leaseTimeout must be at most 10 minutes: PT11M");
        assertThatThrownBy(() -> Engine.builder().leaseTimeout(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theLeaseThreadRunsOnlyOverAStoreWithLeasesAndWithoutLeasesTheEngineOwnsEveryPartition() {
        EngineClockAndThreadsTest.Recording shared = new EngineClockAndThreadsTest.Recording();
        try (Engine e = Engine.builder().store(store).instanceId("a").leaseTimeout(FAST).threadFactory(shared).build()) {
            e.registerProjection(new Counting(), options(2));
            e.start();
            assertThat(shared.names()).contains("eventsource-leases", "eventsource-count-p0", "eventsource-count-p1");
        }

        EngineClockAndThreadsTest.Recording alone = new EngineClockAndThreadsTest.Recording();
        InMemoryStore memory = new InMemoryStore();
        try (Engine e = Engine.builder().store(memory).instanceId("solo").threadFactory(alone).build()) {
            e.registerAggregate(Counter.class);
            e.registerProjection(new Counting(), options(2));
            e.start();
            e.execute(Counter.class, "c1", new Add("c1", 1));
            assertThat(e.awaitProjections(WAIT)).isTrue();
            assertThat(alone.names()).doesNotContain("eventsource-leases");
            assertThat(e.projectionStatus()).hasSize(2).allSatisfy(s -> {
                assertThat(s.owner()).isEqualTo("solo");
                assertThat(s.leaseExpiresAt()).isNull();
                assertThat(s.headPosition()).isEqualTo(memory.headPosition());
                assertThat(s.position()).isEqualTo(memory.headPosition());
                assertThat(s.lag()).isZero();
            });
        }
    }
}
