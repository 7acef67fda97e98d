package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.internal.projection.Partitioner;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Events.Added;
import dev.eventsource.testdomain.Totals;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProjectionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final InMemoryStore store = new InMemoryStore();
    private final Engine engine = newEngine();

    private Engine newEngine() {
        Engine e = Engine.builder().store(store).snapshotEvery(0).build();
        e.registerAggregate(Counter.class);
        return e;
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static StreamOptions fast(String name) {
        return StreamOptions.named(name).backoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2));
    }

    private void add(String id, long amount) {
        engine.execute(Counter.class, id, new Add(id, amount));
    }

    /** A plain projection recording the amounts of Added events, optionally failing on some. */
    static class Recorder implements Projection {
        final String name;
        final Map<String, List<Long>> amounts = new ConcurrentHashMap<>();
        final AtomicLong calls = new AtomicLong();
        volatile long failOn = Long.MIN_VALUE;
        volatile int failTimes = Integer.MAX_VALUE;
        final AtomicInteger failures = new AtomicInteger();

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void handle(EventEnvelope<?> e) {
            calls.incrementAndGet();
            if (e.data() instanceof Added a) {
                if (a.amount() == failOn && failures.get() < failTimes) {
                    failures.incrementAndGet();
                    throw new IllegalStateException("cannot handle amount " + a.amount());
                }
                amounts.computeIfAbsent(a.id(), k -> new CopyOnWriteArrayList<>()).add(a.amount());
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

    @Test
    void partitionedProjectionSeesEachAggregatesEventsInVersionOrder() throws Exception {
        Totals totals = new Totals();
        engine.registerProjection(totals, StreamOptions.named("totals").partitions(4).bufferSize(16));
        engine.start();
        int writers = 4;
        int counters = 20;
        int perWriter = 250;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        String id = "c" + ((writer * 7 + i) % counters);
                        for (int attempt = 0; ; attempt++) {
                            try {
                                add(id, 1);
                                break;
                            } catch (ConcurrencyException e) {
                                assertThat(attempt).isLessThan(100);
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(engine.awaitProjections(WAIT)).isTrue();
        long sum = 0;
        for (int c = 0; c < counters; c++) {
            String id = "c" + c;
            Counter counter = engine.load(Counter.class, id).orElseThrow();
            List<Long> versions = totals.versions.get(id);
            assertThat(versions).as("versions of %s", id)
                    .containsExactlyElementsOf(() -> LongStream.rangeClosed(2, counter.version()).iterator());
            assertThat(totals.sums.get(id)).isEqualTo(counter.value());
            sum += counter.value();
        }
        assertThat(sum).isEqualTo(writers * perWriter);
        assertThat(engine.projectionStatus()).hasSize(4).allSatisfy(s -> {
            assertThat(s.position()).isEqualTo(store.headPosition());
            assertThat(s.stopped()).isFalse();
        });
    }

    @Test
    void slowProjectionWithTinyBufferAppliesBackpressureAndLosesNothing() {
        Totals totals = new Totals();
        totals.delayNanos = 100_000;
        engine.registerProjection(totals, StreamOptions.named("slow").partitions(2).bufferSize(1).batchSize(7));
        engine.start();
        for (int i = 0; i < 400; i++) {
            add("c" + (i % 13), 1);
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(totals.handled).hasValue(400);
        assertThat(totals.sums.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(400);
    }

    @Test
    void inlineProjectionRunsBeforeExecuteReturns() {
        Recorder inline = new Recorder("inline");
        engine.registerProjection(inline);
        add("c1", 3);
        assertThat(inline.amounts.get("c1")).containsExactly(3L);
        add("c1", 4);
        assertThat(inline.amounts.get("c1")).containsExactly(3L, 4L);
        assertThat(engine.projectionStatus()).singleElement().satisfies(s -> {
            assertThat(s.inline()).isTrue();
            assertThat(s.position()).isEqualTo(store.headPosition());
        });
    }

    @Test
    void failingEventIsRetriedAndThenDeadLetteredWhileTheRestGoesOn() {
        Recorder recorder = new Recorder("dead-letters");
        recorder.failOn = 13;
        engine.registerProjection(recorder, fast("dl").partitions(2));
        engine.start();
        add("a", 1);
        add("b", 13);
        add("a", 2);
        add("b", 3);

        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(recorder.amounts.get("a")).containsExactly(1L, 2L);
        assertThat(recorder.amounts.get("b")).containsExactly(3L);
        assertThat(recorder.failures).hasValue(3);
        List<DeadLetter> letters = store.loadDeadLetters("dead-letters");
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.streamType()).isEqualTo("Counter");
            assertThat(d.streamId()).isEqualTo("b");
            assertThat(d.version()).isEqualTo(2);
            assertThat(d.eventType()).isEqualTo("Added");
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.partition()).isEqualTo(Partitioner.partition("b", 2));
            assertThat(d.error()).contains("cannot handle amount 13");
        });
        assertThat(engine.projectionStatus()).extracting(ProjectionStatus::deadLetters).containsExactlyInAnyOrder(0L, 1L);
    }

    @Test
    void transientFailureIsRetriedWithoutDeadLetter() {
        Recorder recorder = new Recorder("flaky");
        recorder.failOn = 5;
        recorder.failTimes = 2;
        engine.registerProjection(recorder, fast("flaky"));
        engine.start();
        add("a", 5);
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(recorder.amounts.get("a")).containsExactly(5L);
        assertThat(store.loadDeadLetters("flaky")).isEmpty();
    }

    @Test
    void stopPartitionPolicyStopsOnlyThatPartitionAndExposesTheError() {
        String bad = idInPartition(0, 2);
        String good = idInPartition(1, 2);
        Recorder recorder = new Recorder("stopper");
        recorder.failOn = 13;
        engine.registerProjection(recorder, fast("stop").partitions(2).onFailure(FailurePolicy.STOP_PARTITION));
        engine.start();
        add(bad, 1);
        add(bad, 13);
        add(bad, 2);
        add(good, 1);
        add(good, 2);

        assertThat(engine.awaitProjections(Duration.ofSeconds(5))).isFalse();
        assertThat(recorder.amounts.get(bad)).containsExactly(1L);
        awaitAmounts(recorder, good, 2);
        assertThat(recorder.amounts.get(good)).containsExactly(1L, 2L);
        ProjectionStatus stopped = engine.projectionStatus().get(0);
        assertThat(stopped.stopped()).isTrue();
        assertThat(stopped.failure()).contains("Counter/" + bad + "@3").contains("cannot handle amount 13")
                .contains("after 3 attempts");
        assertThat(engine.projectionStatus().get(1).stopped()).isFalse();
        assertThat(store.loadDeadLetters("stopper")).isEmpty();
        assertThat(store.loadCheckpoints("stopper").get(0)).as("checkpoint stays before the failed event")
                .isLessThan(positionOf(bad, 3));
    }

    private long positionOf(String id, long version) {
        long[] position = {-1};
        store.readStream("Counter", id, version - 1, e -> {
            if (e.version() == version) {
                position[0] = e.globalPosition();
            }
        });
        return position[0];
    }

    private static void awaitAmounts(Recorder recorder, String id, int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (recorder.amounts.getOrDefault(id, List.of()).size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    static String idInPartition(int partition, int partitions) {
        for (int i = 0; ; i++) {
            if (Partitioner.partition("id" + i, partitions) == partition) {
                return "id" + i;
            }
        }
    }

    @Test
    void undecodableEventIsDeadLetteredNamingStreamVersionPositionAndType() {
        Recorder recorder = new Recorder("decoder");
        engine.registerProjection(recorder, fast("decode"));
        engine.start();
        add("a", 1);
        store.append("Counter", "a", 2, List.of(new NewEvent(UUID.randomUUID(), "Added", 1, Instant.now(),
                "{\"id\":\"a\",\"amount\":\"lots\"}".getBytes(StandardCharsets.UTF_8), Map.of())));
        store.append("Counter", "z", 0, List.of(new NewEvent(UUID.randomUUID(), "Mystery", 1, Instant.now(),
                "{}".getBytes(StandardCharsets.UTF_8), Map.of())));
        add("b", 2);

        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(recorder.amounts.get("b")).containsExactly(2L);
        List<DeadLetter> letters = store.loadDeadLetters("decoder");
        assertThat(letters).hasSize(2);
        assertThat(letters.get(0).error()).contains("cannot decode event Counter/a@3 (position 3, event type Added)")
                .contains("Added.amount");
        assertThat(letters.get(1).error()).contains("Counter/z@1 (position 4, event type Mystery)")
                .contains("no registered aggregate or projection knows event type 'Mystery'");
    }

    @Test
    void rebuildReplaysEverythingWhileCommandsContinueWithNoGapAndNoDuplicate() throws Exception {
        Totals totals = new Totals();
        engine.registerProjection(totals, StreamOptions.named("rebuild").partitions(3).bufferSize(64));
        engine.start();
        for (int i = 0; i < 300; i++) {
            add("c" + (i % 10), i % 7 + 1);
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        Map<String, Long> before = new HashMap<>(totals.sums);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                add("w" + (written.get() % 5), 1);
                written.incrementAndGet();
            }
        });
        writer.start();
        engine.rebuildProjection(totals);
        Thread.sleep(50);
        writing.set(false);
        writer.join();

        assertThat(engine.awaitProjections(WAIT)).isTrue();
        for (Map.Entry<String, Long> e : before.entrySet()) {
            assertThat(totals.sums.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(LongStream.range(0, 5).map(i -> totals.sums.getOrDefault("w" + i, 0L)).sum()).isEqualTo(written.get());
        assertThat(totals.handled).hasValue(300 + written.get());
        totals.versions.forEach((id, versions) -> assertThat(versions).as(id).isSorted().doesNotHaveDuplicates());
    }

    /** Totals whose reset takes a while, so a test can act while a rebuild is under way. */
    static final class SlowReset extends Totals {
        final java.util.concurrent.CountDownLatch resetting = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void reset() {
            super.reset();
            resetting.countDown();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        }
    }

    @Test
    void awaitProjectionsDuringARebuildWaitsForTheRebuiltReadModel() throws Exception {
        SlowReset totals = new SlowReset();
        engine.registerProjection(totals, StreamOptions.named("await-rebuild").partitions(2));
        engine.start();
        for (int i = 0; i < 100; i++) {
            add("c" + (i % 4), 1);
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();

        Thread rebuild = new Thread(() -> engine.rebuildProjection(totals));
        rebuild.start();
        assertThat(totals.resetting.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(totals.handled).hasValue(100);
        rebuild.join();
    }

    @Test
    void closeThatTimesOutDuringARebuildEndsTheRebuildWithAnErrorInsteadOfHanging() throws Exception {
        Engine engine = Engine.builder().store(store).snapshotEvery(0).closeTimeout(Duration.ofMillis(50)).build();
        engine.registerAggregate(Counter.class);
        Totals totals = new Totals();
        engine.registerProjection(totals, StreamOptions.named("close-rebuild").bufferSize(4));
        engine.start();
        for (int i = 0; i < 200; i++) {
            engine.execute(Counter.class, "c" + (i % 4), new Add("c" + (i % 4), 1));
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        totals.delayNanos = TimeUnit.MILLISECONDS.toNanos(20);

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> rebuild = pool.submit(() -> engine.rebuildProjection(totals));
            for (long seen = totals.handled.get(); seen == 0 || seen == 200; seen = totals.handled.get()) {
                Thread.sleep(1); // until the rebuild has reset the totals and replays
            }
            engine.close();

            assertThatThrownBy(() -> rebuild.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(EventSourceException.class)
                    .hasMessageContaining("projection Totals")
                    .hasMessageContaining("engine was closed");
            assertThatThrownBy(() -> engine.rebuildProjection(totals))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void inlineProjectionRebuildReplaysTheLog() {
        Recorder inline = new Recorder("inline-rebuild");
        engine.registerProjection(inline);
        add("a", 1);
        add("a", 2);
        inline.amounts.put("junk", List.of(99L));

        engine.rebuildProjection(inline);

        assertThat(inline.amounts).containsOnlyKeys("a");
        assertThat(inline.amounts.get("a")).containsExactly(1L, 2L);
        add("a", 3);
        assertThat(inline.amounts.get("a")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void restartResumesFromCheckpointsWithoutRepeatingOrMissing() {
        Totals first = new Totals();
        engine.registerProjection(first, StreamOptions.named("resume").partitions(3));
        engine.start();
        for (int i = 0; i < 50; i++) {
            add("c" + (i % 6), 1);
        }
        engine.close();
        assertThat(first.handled).hasValue(50);

        try (Engine writerOnly = newEngine()) {
            for (int i = 0; i < 30; i++) {
                writerOnly.execute(Counter.class, "c" + (i % 4), new Add("c" + (i % 4), 1));
            }
        }
        Totals second = new Totals();
        try (Engine restarted = newEngine()) {
            restarted.registerProjection(second, StreamOptions.named("resume").partitions(3));
            restarted.start();
            assertThat(restarted.awaitProjections(WAIT)).isTrue();
        }
        assertThat(second.handled).hasValue(30);
    }

    @Test
    void closeThatTimesOutStopsASlowProjectionBetweenEventsAndTheRestIsHandledOnceAfterRestart() throws Exception {
        Engine slow = Engine.builder().store(store).snapshotEvery(0).closeTimeout(Duration.ofMillis(20)).build();
        slow.registerAggregate(Counter.class);
        Totals first = new Totals();
        first.delayNanos = TimeUnit.MILLISECONDS.toNanos(25);
        slow.registerProjection(first, StreamOptions.named("slow-close"));
        for (int i = 0; i < 200; i++) {
            slow.execute(Counter.class, "c" + (i % 5), new Add("c" + (i % 5), 1));
        }
        slow.start();
        while (first.handled.get() == 0) {
            Thread.onSpinWait(); // the worker holds a batch of (nearly) every event now
        }

        long started = System.nanoTime();
        slow.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        // 200 events of 25 ms are 5 s of work; close waits 20 ms and then stops after the event in hand.
        assertThat(closeMillis).isLessThan(1_500);
        assertThat(first.handled.get()).isLessThan(200);
        Totals second = new Totals();
        try (Engine restarted = newEngine()) {
            restarted.registerProjection(second, StreamOptions.named("slow-close"));
            restarted.start();
            assertThat(restarted.awaitProjections(WAIT)).isTrue();
        }
        assertThat(first.handled.get() + second.handled.get()).isEqualTo(200);
    }

    @Test
    void changingThePartitionCountResumesFromTheLowestCheckpoint() {
        store.saveCheckpoint("Totals", 0, 5);
        store.saveCheckpoint("Totals", 1, 9);
        for (int i = 0; i < 12; i++) {
            add("c" + i, 1);
        }
        Totals totals = new Totals();
        engine.registerProjection(totals, StreamOptions.named("repartitioned").partitions(4));
        engine.start();
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        // 24 events (Created + Added per counter); everything after position 5 is handled again: Added at 6, 8, ...
        assertThat(totals.handled).hasValue(LongStream.rangeClosed(6, 24).filter(p -> p % 2 == 0).count());
        assertThat(store.loadCheckpoints("Totals")).containsOnlyKeys(0, 1, 2, 3);
    }

    @Test
    void fewerPartitionsRecordTheNewLayoutSoTheNextStartResumesFromItsOwnCheckpoints() {
        for (int p = 0; p < 4; p++) {
            store.saveCheckpoint("Totals", p, 5 + p);
        }
        for (int i = 0; i < 12; i++) {
            add("c" + i, 1);
        }
        engine.registerProjection(new Totals(), StreamOptions.named("shrunk").partitions(2));
        engine.start();
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        engine.close();
        // The checkpoints of partitions 2 and 3 are gone: a reset (delete, then save), not a save, recorded the layout.
        assertThat(store.loadCheckpoints("Totals")).containsOnlyKeys(0, 1).allSatisfy((p, position) ->
                assertThat(position).isEqualTo(24L));

        Totals again = new Totals();
        try (Engine restarted = newEngine()) {
            restarted.registerProjection(again, StreamOptions.named("shrunk").partitions(2));
            restarted.start();
            assertThat(restarted.awaitProjections(WAIT)).isTrue();
        }
        assertThat(again.handled).as("nothing handled again").hasValue(0);
    }

    @Test
    void closeDrainsAsynchronousProjections() {
        Totals totals = new Totals();
        totals.delayNanos = 50_000;
        engine.registerProjection(totals, StreamOptions.named("drain").partitions(2).bufferSize(4));
        engine.start();
        for (int i = 0; i < 200; i++) {
            add("c" + (i % 9), 1);
        }
        engine.close();
        assertThat(totals.handled).hasValue(200);
        assertThatThrownBy(() -> add("c1", 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void registrationMistakesAreReportedClearly() {
        Recorder one = new Recorder("same");
        engine.registerProjection(one);
        assertThatThrownBy(() -> engine.registerProjection(one, StreamOptions.named("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered already");
        assertThatThrownBy(() -> engine.registerProjection(new Recorder("same")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named 'same'");
        assertThatThrownBy(() -> engine.registerProjection(new Object()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object is not a projection");
        assertThatThrownBy(() -> engine.registerProjection(new Recorder("two"), StreamOptions.named("a"), StreamOptions.named("b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most one");
        assertThatThrownBy(() -> engine.rebuildProjection(new Recorder("unknown")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a registered projection");
    }

    @Test
    void awaitProjectionsThrowsBeforeStartAndIsTrueAfter() {
        Totals totals = new Totals();
        engine.registerProjection(totals, StreamOptions.named("late"));
        add("a", 1);
        assertThatThrownBy(() -> engine.awaitProjections(Duration.ofMillis(50))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("engine not started");
        engine.start();
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(totals.handled).hasValue(1);
    }

    @Test
    void theEngineSubscribesToStoreNotificationsOnlyOnceAnAsynchronousProjectionNeedsThem() {
        AtomicInteger subscriptions = new AtomicInteger();
        EventStore counting = new ForwardingEventStore(store) {
            @Override
            public AutoCloseable onAppend(Runnable listener) {
                subscriptions.incrementAndGet();
                return super.onAppend(listener);
            }
        };
        try (Engine e = Engine.builder().store(counting).build()) {
            e.registerAggregate(Counter.class);
            e.registerProjection(named("inline-count"));
            e.start();
            e.execute(Counter.class, "a", new Add("a", 1));
            assertThat(subscriptions).as("no asynchronous projection, no subscription").hasValue(0);

            Totals async = new Totals();
            e.registerProjection(async, fast("late"));
            e.registerProjection(named("later-count"), fast("later"));
            assertThat(subscriptions).as("one subscription for every asynchronous projection").hasValue(1);
            e.execute(Counter.class, "a", new Add("a", 2));
            assertThat(e.awaitProjections(WAIT)).isTrue();
            assertThat(async.sums).containsEntry("a", 3L);
        }
    }

    /** A projection that only has a name. */
    private static Projection named(String name) {
        return new Projection() {
            @Override
            public void handle(EventEnvelope<?> event) {
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
