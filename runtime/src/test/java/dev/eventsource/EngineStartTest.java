package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.ProjectionTest.Recorder;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.StoreException;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Engine#start()} after a failure, and what {@code awaitProjections} does before a start. */
class EngineStartTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** An in-memory store whose checkpoint loads or append subscriptions fail a given number of times, like a database that is down. */
    static final class FlakyStore extends InMemoryStore {
        final AtomicInteger failLoads = new AtomicInteger();
        final AtomicInteger failSubscriptions = new AtomicInteger();

        @Override
        public Map<Integer, Long> loadCheckpoints(String projection) {
            if (failLoads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StoreException("cannot load the checkpoints of projection " + projection + ": database down (simulated)");
            }
            return super.loadCheckpoints(projection);
        }

        @Override
        public AutoCloseable onAppend(Runnable listener) {
            if (failSubscriptions.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StoreException("cannot listen for appends: database down (simulated)");
            }
            return super.onAppend(listener);
        }
    }

    private final FlakyStore store = new FlakyStore();
    private final Engine engine = Engine.builder().store(store).snapshotEvery(0).build();

    EngineStartTest() {
        engine.registerAggregate(Counter.class);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private void add(String id, long amount) {
        engine.execute(Counter.class, id, new Add(id, amount));
    }

    @Test
    void aStartThatCannotLoadCheckpointsThrowsAndTheNextStartStartsEveryProjection() {
        Recorder first = new Recorder("first");
        engine.registerProjection(first, StreamOptions.named("first").partitions(2));
        store.failLoads.set(1);
        add("c1", 1);

        assertThatThrownBy(engine::start)
                .isInstanceOf(EventSourceException.class)
                .hasMessageContaining("engine start failed: cannot start projection first on stream first")
                .hasMessageContaining("database down (simulated)")
                .hasMessageContaining("not started: [first]")
                .hasMessageContaining("call start() again")
                .hasCauseInstanceOf(StoreException.class);
        assertThat(engine.projectionStatus()).hasSize(2).allSatisfy(s -> {
            assertThat(s.stopped()).isTrue();
            assertThat(s.failure()).startsWith("not started: start() failed: cannot start projection first")
                    .contains("database down (simulated)");
        });
        assertThatThrownBy(() -> engine.awaitProjections(WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("engine not started").hasMessageContaining("the last start() failed");

        Recorder second = new Recorder("second");                // registered while the engine is not started
        engine.registerProjection(second, StreamOptions.named("second"));
        add("c2", 2);
        engine.start();
        add("c3", 3);

        assertThat(engine.awaitProjections(WAIT)).isTrue();
        for (Recorder r : List.of(first, second)) {
            assertThat(r.amounts).as(r.name).containsOnlyKeys("c1", "c2", "c3");
        }
        assertThat(engine.projectionStatus()).hasSize(3).allSatisfy(s -> assertThat(s.failure()).isNull());
        engine.start();                                          // idempotent once started
        assertThat(engine.projectionStatus()).hasSize(3);
    }

    @Test
    void aStartThatCannotSubscribeToAppendsThrowsAndTheNextStartListens() {
        Recorder recorder = new Recorder("recorder");
        engine.registerProjection(recorder, StreamOptions.named("recorder").pollInterval(Duration.ofMinutes(10)));
        store.failSubscriptions.set(1);

        assertThatThrownBy(engine::start)
                .isInstanceOf(EventSourceException.class)
                .hasMessageContaining("engine start failed: cannot subscribe to the store's appends")
                .hasMessageContaining("database down (simulated)");
        assertThat(engine.projectionStatus()).singleElement().satisfies(s ->
                assertThat(s.failure()).startsWith("not started: start() failed: cannot subscribe"));

        engine.start();
        assertThat(engine.projectionStatus()).singleElement().satisfies(s -> assertThat(s.failure()).isNull());
        // With a 10-minute poll interval only the append subscription can wake the reader for an event that
        // another engine appends: this proves the second start subscribed.
        try (Engine other = Engine.builder().store(store).snapshotEvery(0).build()) {
            other.registerAggregate(Counter.class);
            other.execute(Counter.class, "c1", new Add("c1", 5));
        }
        assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
        assertThat(recorder.amounts).containsOnlyKeys("c1");
    }

    @Test
    void aProjectionRegisteredAfterTheStartThatCannotStartIsNotRegistered() {
        engine.start();
        Recorder recorder = new Recorder("late");
        store.failLoads.set(1);

        assertThatThrownBy(() -> engine.registerProjection(recorder, StreamOptions.named("late")))
                .isInstanceOf(EventSourceException.class)
                .hasMessageContaining("cannot start projection late on stream late, so it is not registered")
                .hasMessageContaining("database down (simulated)");
        assertThat(engine.projectionStatus()).isEmpty();

        engine.registerProjection(recorder, StreamOptions.named("late"));
        add("c1", 1);
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(recorder.amounts).containsOnlyKeys("c1");
    }

    @Test
    void awaitProjectionsBeforeStartThrowsWithoutAsynchronousProjections() {
        add("c1", 1);

        assertThatThrownBy(() -> engine.awaitProjections(WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessage("engine not started: call start() before awaitProjections");
        engine.start();
        assertThat(engine.awaitProjections(WAIT)).isTrue();
    }

    @Test
    void awaitProjectionsBeforeStartThrowsAtOnceWithAnAsynchronousProjection() {
        engine.registerProjection(new Recorder("waiting"), StreamOptions.named("waiting"));
        add("c1", 1);

        long began = System.nanoTime();
        assertThatThrownBy(() -> engine.awaitProjections(WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessage("engine not started: call start() before awaitProjections");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        engine.start();
        assertThat(engine.awaitProjections(WAIT)).isTrue();
    }
}
