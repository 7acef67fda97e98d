package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Commands.AddThenFail;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Events.Added;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commands on one aggregate in one engine: they queue instead of racing, share appends, each gets
 * its own answer, and a kept instance appends without reading first, confirming rejections.
 */
class SequencingTest {

    private final InMemoryStore memory = new InMemoryStore();
    private final Counting store = new Counting(memory);
    private final List<Engine> engines = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        threads.shutdownNow();
        engines.forEach(Engine::close);
    }

    /** Whether the engines combine queued commands on one thread ({@link CombinedSequencingTest}). */
    boolean combine() {
        return false;
    }

    private Engine engine(EventStore over, Consumer<Engine.Builder> settings) {
        Engine.Builder builder = Engine.builder().store(over).combineQueuedCommands(combine());
        settings.accept(builder);
        Engine engine = builder.build();
        engine.registerAggregate(Counter.class);
        engines.add(engine);
        return engine;
    }

    /** Counts appends and stream reads; an append may be held at a gate. */
    static final class Counting extends ForwardingEventStore {
        final AtomicInteger appends = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        volatile CountDownLatch gate;
        volatile CountDownLatch atGate;
        volatile long appendMillis;

        Counting(EventStore store) {
            super(store);
        }

        @Override
        public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
            appends.incrementAndGet();
            CountDownLatch g = gate;
            if (g != null) {
                gate = null;
                atGate.countDown();
                await(g);
            }
            if (appendMillis > 0) {
                sleep(appendMillis);
            }
            return super.append(type, id, expected, events);
        }

        @Override
        public long readStream(String type, String id, long afterVersion, Consumer<? super StoredEvent> sink) {
            reads.incrementAndGet();
            return super.readStream(type, id, afterVersion, sink);
        }

        /** The next append waits at the gate; returns the gate and a latch counted down once it waits. */
        CountDownLatch[] holdNextAppend() {
            atGate = new CountDownLatch(1);
            CountDownLatch g = new CountDownLatch(1);
            gate = g;
            return new CountDownLatch[] {g, atGate};
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> Future<T> submit(Callable<T> task) {
        return threads.submit(task);
    }

    /** Starts {@code task} and returns once its thread is parked (queued on the aggregate's lock). */
    private <T> Future<T> submitQueued(Callable<T> task) throws InterruptedException {
        List<Thread> started = Collections.synchronizedList(new ArrayList<>());
        Future<T> f = threads.submit(() -> {
            started.add(Thread.currentThread());
            return task.call();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((started.isEmpty() || started.get(0).getState() != Thread.State.WAITING) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(started).as("the task's thread queued").hasSize(1);
        return f;
    }

    private List<StoredEvent> stream(String id) {
        List<StoredEvent> out = new ArrayList<>();
        memory.readStream("Counter", id, 0, out::add);
        return out;
    }

    @Test
    void eightThreadsOnOneAggregateNeverConflictAndShareAppends() throws Exception {
        Engine engine = engine(store, b -> { });
        engine.execute(Counter.class, "hot", new Add("hot", 1));
        store.appendMillis = 2;                          // a slow store: commands queue up behind each append
        int perThread = 50;
        List<Future<Integer>> done = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < 8; t++) {
            done.add(submit(() -> {
                await(go);
                int failures = 0;
                for (int i = 0; i < perThread; i++) {
                    try {
                        engine.execute(Counter.class, "hot", new Add("hot", 1));
                    } catch (ConcurrencyException e) {
                        failures++;
                    }
                }
                return failures;
            }));
        }
        int appendsBefore = store.appends.get();
        go.countDown();
        for (Future<Integer> f : done) {
            assertThat(f.get(60, TimeUnit.SECONDS)).as("conflicts seen by a caller").isZero();
        }
        int commands = 8 * perThread;
        assertThat(engine.load(Counter.class, "hot").orElseThrow().value()).isEqualTo(1 + commands);
        assertThat(store.appends.get() - appendsBefore).as("appends for %d commands", commands).isLessThan(commands / 2);
        List<StoredEvent> events = stream("hot");
        assertThat(events).hasSize(2 + commands);
        assertThat(events.stream().map(e -> e.metadata().get(EventEnvelope.COMMAND_ID)).distinct().count())
                .as("each command's events carry its own command id").isEqualTo(1 + commands);
    }

    @Test
    void aBatchAppendsOnceAndARejectedCommandDropsOnlyItsOwnEvents() throws Exception {
        Engine engine = engine(store, b -> { });
        engine.execute(Counter.class, "c", new Add("c", 1));
        CountDownLatch[] gate = store.holdNextAppend();
        Future<Counter> first = submit(() -> engine.execute(Counter.class, "c", new Add("c", 10)));
        await(gate[1]);                                   // its append waits; the next commands queue
        Future<CommandResult<Counter>> good = submitQueued(() -> engine.executeResult(Counter.class, "c",
                new Add("c", 100), CommandContext.none()));
        Future<Counter> failing = submitQueued(() -> engine.execute(Counter.class, "c", new AddThenFail("c")));
        Future<Counter> rejected = submitQueued(() -> engine.execute(Counter.class, "c", new Add("c", -5)));
        Future<CommandResult<Counter>> last = submitQueued(() -> engine.executeResult(Counter.class, "c",
                new Add("c", 1000), CommandContext.none()));
        int appendsBefore = store.appends.get();
        gate[0].countDown();

        assertThat(first.get(30, TimeUnit.SECONDS).version()).isGreaterThanOrEqualTo(3);
        CommandResult<Counter> goodResult = good.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("perform failed after recording");
        assertThatThrownBy(() -> rejected.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(CommandValidationException.class)
                .hasMessageContaining("amount must be positive: -5");
        CommandResult<Counter> lastResult = last.get(30, TimeUnit.SECONDS);

        assertThat(store.appends.get() - appendsBefore).as("the four queued commands share one append").isEqualTo(1);
        assertThat(goodResult.events()).singleElement().satisfies(e -> {
            assertThat(e.data()).isEqualTo(new Added("c", 100));
            assertThat(e.version()).isEqualTo(4);
        });
        assertThat(lastResult.events()).singleElement().satisfies(e -> {
            assertThat(e.data()).isEqualTo(new Added("c", 1000));
            assertThat(e.version()).isEqualTo(5);
            assertThat(e.globalPosition()).isEqualTo(goodResult.events().get(0).globalPosition() + 1);
        });
        assertThat(engine.load(Counter.class, "c").orElseThrow().value()).isEqualTo(1 + 10 + 100 + 1000);
        assertThat(stream("c")).hasSize(5);
        Counter next = engine.execute(Counter.class, "c", new Add("c", 1));
        assertThat(next.value()).as("the kept instance has no trace of the failed command").isEqualTo(1112);
    }

    /** Adds one and notes the thread it ran on and the thread that called execute. */
    record AddNoting(String id, Thread caller, List<String> seen) implements Command<Counter> {
        @Override
        public void perform(Counter counter) {
            seen.add((Thread.currentThread() == caller ? "own " : "other ") + caller.getName());
            counter.record(new Added(id, 1));
        }
    }

    @Test
    void queuedCommandsRunOnTheirCallersThreadsUnlessCombined() throws Exception {
        Engine engine = engine(store, b -> { });
        engine.execute(Counter.class, "c", new Add("c", 1));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch[] gate = store.holdNextAppend();
        Future<Counter> first = submit(() -> engine.execute(Counter.class, "c", new Add("c", 1)));
        await(gate[1]);
        List<Future<Counter>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(submitQueued(() -> engine.execute(Counter.class, "c", new AddNoting("c", Thread.currentThread(), seen))));
        }
        gate[0].countDown();
        first.get(30, TimeUnit.SECONDS);
        for (Future<Counter> f : queued) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(seen).hasSize(3);
        if (combine()) {
            assertThat(seen).as("run by the thread that held the aggregate").allMatch(s -> s.startsWith("other "));
        } else {
            assertThat(seen).as("each on its caller's thread").allMatch(s -> s.startsWith("own "));
        }
        assertThat(engine.load(Counter.class, "c").orElseThrow().value()).isEqualTo(5);
    }

    @Test
    void twoQueuedCommandsWithOneCommandIdAreStoredOnce() throws Exception {
        Engine engine = engine(store, b -> { });
        engine.execute(Counter.class, "c", new Add("c", 1));
        CountDownLatch[] gate = store.holdNextAppend();
        Future<Counter> first = submit(() -> engine.execute(Counter.class, "c", new Add("c", 1)));
        await(gate[1]);
        CommandContext once = CommandContext.builder().commandId("request-7").build();
        Future<CommandResult<Counter>> a = submitQueued(() -> engine.executeResult(Counter.class, "c", new Add("c", 5), once));
        Future<CommandResult<Counter>> b = submitQueued(() -> engine.executeResult(Counter.class, "c", new Add("c", 5), once));
        gate[0].countDown();
        first.get(30, TimeUnit.SECONDS);
        List<Boolean> duplicates = List.of(a.get(30, TimeUnit.SECONDS).duplicate(), b.get(30, TimeUnit.SECONDS).duplicate());
        assertThat(duplicates).containsExactlyInAnyOrder(false, true);
        assertThat(engine.load(Counter.class, "c").orElseThrow().value()).isEqualTo(7);
    }

    @Test
    void aResentCommandInABatchIsADuplicateAndItsBatchMatesStillCommit() throws Exception {
        Engine engine = engine(store, b -> { });
        CommandContext request = CommandContext.builder().commandId("request-1").build();
        engine.execute(Counter.class, "c", new Add("c", 1), request);
        CountDownLatch[] gate = store.holdNextAppend();
        Future<Counter> first = submit(() -> engine.execute(Counter.class, "c", new Add("c", 10)));
        await(gate[1]);
        Future<CommandResult<Counter>> mate = submitQueued(() -> engine.executeResult(Counter.class, "c", new Add("c", 100),
                CommandContext.none()));
        // A command the cached instance accepts, with the id of the first command: the store refuses it.
        Future<CommandResult<Counter>> resent = submitQueued(() -> engine.executeResult(Counter.class, "c",
                new Add("c", 1000), request));
        gate[0].countDown();
        first.get(30, TimeUnit.SECONDS);
        assertThat(mate.get(30, TimeUnit.SECONDS).duplicate()).isFalse();
        assertThat(resent.get(30, TimeUnit.SECONDS).duplicate()).isTrue();
        assertThat(engine.load(Counter.class, "c").orElseThrow().value()).isEqualTo(111);
    }

    /** Adds only when the counter is at least {@code atLeast}; records nothing at exactly zero amount. */
    record AddIfAtLeast(String id, long atLeast, long amount) implements Command<Counter> {
        @Override
        public void validate(Counter counter) {
            if (counter.value() < atLeast) {
                throw new CommandValidationException(id + " is at " + counter.value() + ", under " + atLeast);
            }
        }

        @Override
        public void perform(Counter counter) {
            if (amount != 0) {
                counter.record(new Added(id, amount));
            }
        }
    }

    @Test
    void aKeptInstanceAppendsWithoutReadingAndARejectionOnItIsConfirmedFirst() {
        Engine engine = engine(store, b -> { });
        engine.execute(Counter.class, "c", new Add("c", 1));
        int reads = store.reads.get();
        engine.execute(Counter.class, "c", new Add("c", 1));
        assertThat(store.reads.get()).as("no read before the append of a kept instance").isEqualTo(reads);

        // Another writer (another process) adds 10; this engine's kept instance does not know.
        Engine other = engine(store, b -> { });
        other.execute(Counter.class, "c", new Add("c", 10));
        // On the kept state (2) it would be rejected; on the stored one (12) it is accepted.
        Counter c = engine.execute(Counter.class, "c", new AddIfAtLeast("c", 5, 3));
        assertThat(c.value()).isEqualTo(15);
        // A rejection on a confirmed state stands.
        assertThatThrownBy(() -> engine.execute(Counter.class, "c", new AddIfAtLeast("c", 100, 3)))
                .isInstanceOf(CommandValidationException.class).hasMessageContaining("c is at 15, under 100");
        other.execute(Counter.class, "c", new Add("c", 100));
        // Records nothing on the kept state: confirmed, then run again on the newer one.
        CommandResult<Counter> r = engine.executeResult(Counter.class, "c", new AddIfAtLeast("c", 0, 0), CommandContext.none());
        assertThat(r.aggregate().value()).isEqualTo(115);
    }

    @Test
    void aKeptInstanceThatIsBehindConflictsOnceAndRunsAgainOnTheStoredState() {
        Engine engine = engine(store, b -> b.maxRetries(0));
        engine.execute(Counter.class, "c", new Add("c", 1));
        engine(store, b -> { }).execute(Counter.class, "c", new Add("c", 10));
        int appends = store.appends.get();
        // maxRetries 0, yet it succeeds: the conflict came from a state kept, not read for this command.
        assertThat(engine.execute(Counter.class, "c", new Add("c", 100)).value()).isEqualTo(111);
        assertThat(store.appends.get() - appends).isEqualTo(2);
    }

    @Test
    void newAggregatesAreAppendedWithoutAReadOnceMostIdsTurnOutNew() {
        Engine engine = engine(store, b -> { });
        for (int i = 0; i < 8; i++) {
            engine.execute(Counter.class, "warm-" + i, new Add("warm-" + i, 1));
        }
        int reads = store.reads.get();
        for (int i = 0; i < 20; i++) {
            engine.execute(Counter.class, "new-" + i, new Add("new-" + i, 1));
        }
        assertThat(store.reads.get()).as("reads for 20 new aggregates").isEqualTo(reads);
        // An id that exists though this engine never loaded it: the guess is wrong, the outcome is not.
        engine(store, b -> { }).execute(Counter.class, "old", new Add("old", 5));
        assertThat(engine.execute(Counter.class, "old", new Add("old", 1)).value()).isEqualTo(6);
        assertThat(stream("old")).hasSize(3);
    }

    @Test
    void aWrongGuessUnderACommandThatFailsAfterRecordingEndsInItsOwnFailure() {
        Engine engine = engine(store, b -> { });
        for (int i = 0; i < 8; i++) {
            engine.execute(Counter.class, "warm-" + i, new Add("warm-" + i, 1));
        }
        engine(store, b -> { }).execute(Counter.class, "old", new Add("old", 5));
        assertThatThrownBy(() -> engine.execute(Counter.class, "old", new AddThenFail("old")))
                .isInstanceOf(IllegalStateException.class).hasMessage("perform failed after recording");
        assertThat(engine.execute(Counter.class, "old", new Add("old", 1)).value()).isEqualTo(6);
    }

    @Test
    void withoutACacheEveryCommandLoadsAndARejectionIsAnswered() {
        Engine engine = engine(store, b -> b.aggregateCacheSize(0));
        for (int i = 0; i < 20; i++) {
            engine.execute(Counter.class, "n-" + i, new Add("n-" + i, 1));
        }
        int reads = store.reads.get();
        assertThatThrownBy(() -> engine.execute(Counter.class, "n-3", new AddThenFail("n-3")))
                .isInstanceOf(IllegalStateException.class);
        engine.execute(Counter.class, "n-4", new Add("n-4", 1));
        assertThat(store.reads.get() - reads).as("a load per command, plus the rebuild after the failure").isEqualTo(3);
        assertThat(engine.load(Counter.class, "n-3").orElseThrow().value()).isEqualTo(1);
    }

    @Test
    void twoEnginesOnOneAggregateLoseNoUpdate() throws Exception {
        Engine one = engine(store, b -> b.maxRetries(100).retryBackoff(Duration.ZERO, Duration.ZERO));
        Engine two = engine(store, b -> b.maxRetries(100).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)));
        one.execute(Counter.class, "shared", new Add("shared", 1));
        List<Future<?>> done = new ArrayList<>();
        for (Engine e : List.of(one, two, one, two)) {
            done.add(submit(() -> {
                for (int i = 0; i < 100; i++) {
                    e.execute(Counter.class, "shared", new Add("shared", 1));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(one.load(Counter.class, "shared").orElseThrow().value()).isEqualTo(401);
    }

    @Test
    void withBatchSizeOneEveryCommandAppendsAlone() throws Exception {
        Engine engine = engine(store, b -> b.commandBatchSize(1));
        engine.execute(Counter.class, "c", new Add("c", 1));
        CountDownLatch[] gate = store.holdNextAppend();
        Future<Counter> first = submit(() -> engine.execute(Counter.class, "c", new Add("c", 1)));
        await(gate[1]);
        Future<Counter> second = submitQueued(() -> engine.execute(Counter.class, "c", new Add("c", 1)));
        Future<Counter> third = submitQueued(() -> engine.execute(Counter.class, "c", new Add("c", 1)));
        int appends = store.appends.get();
        gate[0].countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        third.get(30, TimeUnit.SECONDS);
        assertThat(store.appends.get() - appends).isEqualTo(2);
        assertThat(engine.load(Counter.class, "c").orElseThrow().value()).isEqualTo(4);
    }

    @Test
    void anInlineProjectionSeesABatchsEventsOnceEachInVersionOrder() throws Exception {
        Engine engine = engine(store, b -> { });
        List<Long> versions = Collections.synchronizedList(new ArrayList<>());
        engine.registerProjection(new Projection() {
            @Override
            public void handle(EventEnvelope<?> event) {
                versions.add(event.version());
            }

            @Override
            public String name() {
                return "versions";
            }
        });
        engine.start();
        store.appendMillis = 1;
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            done.add(submit(() -> {
                for (int i = 0; i < 30; i++) {
                    engine.execute(Counter.class, "c", new Add("c", 1));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        List<Long> expected = new ArrayList<>();
        for (long v = 1; v <= 181; v++) {
            expected.add(v);
        }
        assertThat(versions).isEqualTo(expected);
    }

    @Test
    void retryBackoffAndBatchSizeAreChecked() {
        assertThatThrownBy(() -> Engine.builder().retryBackoff(Duration.ofMillis(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 <= initial <= max");
        assertThatThrownBy(() -> Engine.builder().retryBackoff(Duration.ofMillis(-1), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Engine.builder().commandBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1: 0");
    }
}
