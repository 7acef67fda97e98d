package dev.eventsource.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.CommandContext;
import dev.eventsource.CommandValidationException;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.StreamOptions;
import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Commands.AddThenFail;
import dev.eventsource.testdomain.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every meter of docs/observability.md exists under its name and tags, and moves when the engine works. */
class EventsourceMetricsTest {

    private final MockClock clock = new MockClock();
    private final MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final InMemoryStore store = new InMemoryStore();

    /** An engine clock the test moves. */
    private static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private Engine engine(EventsourceMetrics metrics, Engine.Builder builder) {
        Engine engine = builder.commandInterceptor(metrics).observer(metrics).build();
        metrics.bindTo(engine);
        engine.registerAggregate(Counter.class);
        return engine;
    }

    private Timer commands(String outcome, boolean duplicate) {
        return registry.get("eventsource.commands").tags("aggregate", "Counter", "outcome", outcome, "duplicate",
                String.valueOf(duplicate)).timer();
    }

    private double gauge(String name, String projection) {
        return registry.get(name).tags("projection", projection, "partition", "0").gauge().value();
    }

    /** The gauge's value, or NaN while the partition has not shown up. */
    private double found(String name, String projection) {
        registry.get("eventsource.projection.partitions").gauge().value();      // finds new partitions
        var g = registry.find(name).tags("projection", projection, "partition", "0").gauge();
        return g == null ? Double.NaN : g.value();
    }

    @Test
    void commandsAreCountedAndTimedByOutcome() {
        EventsourceMetrics metrics = new EventsourceMetrics(registry);
        try (Engine engine = engine(metrics, Engine.builder().store(store).snapshotEvery(2))) {
            engine.execute(Counter.class, "c1", new Add("c1", 1));
            CommandContext once = CommandContext.builder().commandId("request-1").build();
            engine.execute(Counter.class, "c1", new Add("c1", 1), once);
            assertThat(engine.executeResult(Counter.class, "c1", new Add("c1", 1), once).duplicate()).isTrue();
            assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Add("c1", 0)))
                    .isInstanceOf(CommandValidationException.class);
            assertThatThrownBy(() -> engine.execute(Counter.class, "c2", new AddThenFail("c2")))
                    .isInstanceOf(IllegalStateException.class);
        }

        assertThat(commands("ok", false).count()).isEqualTo(2);
        assertThat(commands("ok", true).count()).isEqualTo(1);
        assertThat(commands("rejected", false).count()).isEqualTo(1);
        assertThat(commands("failed", false).count()).isEqualTo(1);
        assertThat(commands("conflict", false).count()).isZero();
        assertThat(registry.get("eventsource.events.appended").tags("aggregate", "Counter").counter().count())
                .isEqualTo(3);   // Created + Added, then Added
        assertThat(registry.get("eventsource.append.commands").tags("aggregate", "Counter").summary().count())
                .isEqualTo(2);
        // the engine's close writes queued snapshots: version 2 crossed the interval of 2
        assertThat(registry.get("eventsource.snapshots.written").tags("aggregate", "Counter").summary())
                .satisfies(s -> {
                    assertThat(s.count()).isEqualTo(1);
                    assertThat(s.totalAmount()).isPositive();
                });
        assertThat(registry.get("eventsource.commands").timers()).allSatisfy(t ->
                assertThat(t.getId().getTags()).extracting(tag -> tag.getKey())
                        .containsExactlyInAnyOrder("aggregate", "outcome", "duplicate"));
    }

    @Test
    void conflictsAfterTheRetriesAndTheRetriesAreCounted() {
        // Another writer appends before each of the engine's appends: every try conflicts.
        EventStore racing = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
                long now = delegate().readStream(type, id, 0, e -> { });
                delegate().append(type, id, now, List.of(new NewEvent(UUID.randomUUID(), "Added", 1, Instant.now(),
                        "{\"id\":\"c1\",\"amount\":100}".getBytes(StandardCharsets.UTF_8), Map.of())));
                return delegate().append(type, id, expected, events);
            }
        };
        EventsourceMetrics metrics = new EventsourceMetrics(registry);
        try (Engine engine = engine(metrics, Engine.builder().store(racing).maxRetries(2)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)))) {
            assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Add("c1", 1)))
                    .isInstanceOf(ConcurrencyException.class);
        }
        assertThat(commands("conflict", false).count()).isEqualTo(1);
        assertThat(registry.get("eventsource.commands.retries").tags("aggregate", "Counter").counter().count())
                .isEqualTo(2);
    }

    @Test
    void commandsQueuedOnOneAggregateShareAppends() throws Exception {
        EventStore slow = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return delegate().append(type, id, expected, events);
            }
        };
        EventsourceMetrics metrics = new EventsourceMetrics(registry);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (Engine engine = engine(metrics, Engine.builder().store(slow))) {
            engine.execute(Counter.class, "c1", new Add("c1", 1));
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                done.add(threads.submit(() -> engine.execute(Counter.class, "c1", new Add("c1", 1))));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        var appends = registry.get("eventsource.append.commands").tags("aggregate", "Counter").summary();
        assertThat(appends.totalAmount()).isEqualTo(41);
        assertThat(appends.max()).isGreaterThan(1);
        assertThat(appends.count()).isLessThan(41);
        assertThat(commands("ok", false).count()).isEqualTo(41);
    }

    @Test
    void projectionLagInEventsAndTimeRisesThenFallsToZero() throws Exception {
        MovableClock engineClock = new MovableClock();
        CountDownLatch release = new CountDownLatch(1);
        Projection slow = new Projection() {
            @Override
            public void handle(EventEnvelope<?> event) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public String name() {
                return "slow";
            }
        };
        EventsourceMetrics metrics = new EventsourceMetrics(registry, Tags.empty(), Duration.ZERO);
        try (Engine engine = engine(metrics, Engine.builder().store(store).clock(engineClock))) {
            engine.registerProjection(slow, StreamOptions.named("slow"));
            engine.start();
            engine.execute(Counter.class, "c1", new Add("c1", 1));      // positions 1, 2 at 10:00:00
            engineClock.now.set(engineClock.now.get().plusSeconds(5));
            engine.execute(Counter.class, "c2", new Add("c2", 1));      // positions 3, 4 at 10:00:05

            assertThat(registry.get("eventsource.projection.partitions").gauge().value()).isEqualTo(1);
            assertThat(gauge("eventsource.projection.lag", "slow")).isEqualTo(4);
            assertThat(registry.get("eventsource.projection.lag.time").tags("projection", "slow", "partition", "0")
                    .timeGauge().value(TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(gauge("eventsource.projection.stopped", "slow")).isZero();

            release.countDown();
            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
            assertThat(gauge("eventsource.projection.lag", "slow")).isZero();
            assertThat(registry.get("eventsource.projection.lag.time").tags("projection", "slow", "partition", "0")
                    .timeGauge().value(TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void deadLettersAndStoppedPartitionsShow() throws Exception {
        EventsourceMetrics metrics = new EventsourceMetrics(registry, Tags.of("engine", "e1"), Duration.ZERO);
        try (Engine engine = engine(metrics, Engine.builder().store(store).closeTimeout(Duration.ofMillis(500)))) {
            engine.registerProjection(failing("letters"), StreamOptions.named("letters").maxAttempts(1));
            engine.registerProjection(failing("stops"), StreamOptions.named("stops").maxAttempts(1)
                    .onFailure(FailurePolicy.STOP_PARTITION));
            engine.start();
            engine.execute(Counter.class, "c1", new Add("c1", 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((found("eventsource.projection.dead.letters", "letters") < 2
                    || found("eventsource.projection.stopped", "stops") < 1) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(gauge("eventsource.projection.dead.letters", "letters")).isEqualTo(2);
            assertThat(gauge("eventsource.projection.stopped", "letters")).isZero();
            assertThat(gauge("eventsource.projection.stopped", "stops")).isEqualTo(1);
            assertThat(registry.get("eventsource.projection.lag").tags("engine", "e1", "projection", "stops").gauge()
                    .value()).isEqualTo(2);
        }
    }

    @Test
    void oneStatusSnapshotServesEveryGaugeForTheInterval() throws Exception {
        AtomicInteger heads = new AtomicInteger();
        EventStore counting = new ForwardingEventStore(store) {
            @Override
            public long headPosition() {
                heads.incrementAndGet();
                return delegate().headPosition();
            }
        };
        EventsourceMetrics metrics = new EventsourceMetrics(registry, Tags.empty(), Duration.ofSeconds(1));
        try (Engine engine = engine(metrics, Engine.builder().store(counting))) {
            engine.registerProjection(failing("p"), StreamOptions.named("p").partitions(4));
            engine.start();
            registry.get("eventsource.projection.partitions").gauge().value();   // takes the snapshot
            int before = heads.get();
            for (int i = 0; i < 3; i++) {
                registry.get("eventsource.projection.lag").gauges().forEach(g -> g.value());
                registry.get("eventsource.projection.dead.letters").gauges().forEach(g -> g.value());
            }
            assertThat(registry.get("eventsource.projection.lag").gauges()).hasSize(4);
            assertThat(heads.get()).isEqualTo(before);
            clock.add(Duration.ofSeconds(1));
            registry.get("eventsource.projection.lag").gauges().forEach(g -> g.value());
            assertThat(heads.get()).isGreaterThan(before);
        }
    }

    @Test
    void bindsToOneEngineOnly() {
        EventsourceMetrics metrics = new EventsourceMetrics(registry);
        try (Engine engine = engine(metrics, Engine.builder().store(store).instanceId("one"));
                Engine other = Engine.builder().store(store).instanceId("two").build()) {
            assertThat(metrics.bindTo(engine)).isSameAs(metrics);           // again: nothing
            assertThatThrownBy(() -> metrics.bindTo(other)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("these metrics are bound to engine one already, not two; make one EventsourceMetrics"
                            + " per engine");
        }
    }

    private static Projection failing(String name) {
        return new Projection() {
            @Override
            public void handle(EventEnvelope<?> event) {
                throw new IllegalStateException("cannot handle " + event.eventType());
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
