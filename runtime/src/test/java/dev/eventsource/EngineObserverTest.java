package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ConcurrencyException;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Totals;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What an engine tells its observers: retries, appends, snapshots, projection batches; and that they cannot break it. */
class EngineObserverTest {

    private final InMemoryStore store = new InMemoryStore();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final EngineObserver recording = new EngineObserver() {
        @Override
        public void commandRetried(String streamType, String aggregateId, int retry, ConcurrencyException conflict) {
            seen.add("retried " + streamType + "/" + aggregateId + " #" + retry + " expected " + conflict.expectedVersion());
        }

        @Override
        public void appended(String streamType, String aggregateId, int commands, int events) {
            seen.add("appended " + streamType + "/" + aggregateId + " " + commands + " commands " + events + " events");
        }

        @Override
        public void snapshotWritten(String streamType, String aggregateId, long version, int bytes) {
            seen.add("snapshot " + streamType + "/" + aggregateId + " @" + version + (bytes > 0 ? " bytes" : " empty"));
        }

        @Override
        public Batch projectionBatch(String projection, int partition, List<StoredEvent> events) {
            String begun = "batch " + projection + " p" + partition + " of " + events.size()
                    + " from position " + events.get(0).globalPosition();
            seen.add(begun);
            return failure -> seen.add("end " + (failure == null ? "ok" : failure.getClass().getSimpleName()));
        }
    };

    private Engine engine(dev.eventsource.store.EventStore over, EngineObserver... observers) {
        Engine.Builder b = Engine.builder().store(over).snapshotEvery(2);
        for (EngineObserver o : observers) {
            b.observer(o);
        }
        Engine e = b.build();
        e.registerAggregate(Counter.class);
        return e;
    }

    @Test
    void appendsAndSnapshotsAreReported() throws Exception {
        try (Engine engine = engine(store, recording)) {
            engine.execute(Counter.class, "c1", new Add("c1", 1));      // version 2: a snapshot
            engine.execute(Counter.class, "c1", new Add("c1", 1));
        }
        // The snapshot is written on the writer's thread: in any order with the second append.
        assertThat(seen).containsExactlyInAnyOrder("appended Counter/c1 1 commands 2 events", "snapshot Counter/c1 @2 bytes",
                "appended Counter/c1 1 commands 1 events");
        assertThat(seen.get(0)).isEqualTo("appended Counter/c1 1 commands 2 events");
    }

    @Test
    void aCountedRetryIsReportedWithItsConflict() {
        AtomicInteger interfere = new AtomicInteger(1);
        ForwardingEventStore racing = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
                if (interfere.getAndDecrement() == 1) {
                    long now = delegate().readStream(type, id, 0, e -> { });
                    delegate().append(type, id, now, List.of(new NewEvent(UUID.randomUUID(), "Added", 1, Instant.now(),
                            "{\"id\":\"c1\",\"amount\":100}".getBytes(StandardCharsets.UTF_8), Map.of())));
                }
                return delegate().append(type, id, expected, events);
            }
        };
        try (Engine engine = engine(racing, recording)) {
            assertThat(engine.execute(Counter.class, "c1", new Add("c1", 1)).value()).isEqualTo(101);
        }
        assertThat(seen).startsWith("retried Counter/c1 #1 expected 0", "appended Counter/c1 1 commands 1 events");
    }

    @Test
    void eachProjectionBatchBeginsAndEndsOnItsPartitionThread() throws Exception {
        Totals totals = new Totals();
        try (Engine engine = engine(store, recording)) {
            engine.registerProjection(totals, StreamOptions.named("totals"));
            engine.execute(Counter.class, "c1", new Add("c1", 1));
            engine.start();
            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(seen).contains("batch Totals p0 of 2 from position 1", "end ok");
    }

    @Test
    void aBatchThatStopsThePartitionEndsWithTheFailure() throws Exception {
        Projection failing = new Projection() {
            @Override
            public void handle(EventEnvelope<?> event) {
                throw new IllegalStateException("no");
            }

            @Override
            public String name() {
                return "failing";
            }
        };
        try (Engine engine = engine(store, recording)) {
            engine.registerProjection(failing, StreamOptions.named("failing").maxAttempts(1)
                    .onFailure(FailurePolicy.STOP_PARTITION));
            engine.execute(Counter.class, "c1", new Add("c1", 1));
            engine.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!seen.contains("end IllegalStateException") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertThat(seen).contains("end IllegalStateException");
    }

    @Test
    void anObserverThatThrowsIsIgnoredAndTheOthersStillHear() throws Exception {
        EngineObserver broken = new EngineObserver() {
            @Override
            public void appended(String streamType, String aggregateId, int commands, int events) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public Batch projectionBatch(String projection, int partition, List<StoredEvent> events) {
                throw new IllegalStateException("observer bug");
            }
        };
        Totals totals = new Totals();
        try (Engine engine = engine(store, broken, recording)) {
            engine.registerProjection(totals, StreamOptions.named("totals"));
            engine.start();
            engine.execute(Counter.class, "c1", new Add("c1", 5));
            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
            assertThat(totals.sums).containsEntry("c1", 5L);
        }
        assertThat(seen).contains("appended Counter/c1 1 commands 2 events", "end ok");
    }
}
