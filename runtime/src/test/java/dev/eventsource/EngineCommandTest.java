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
import dev.eventsource.testdomain.Account;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Commands.AddThenFail;
import dev.eventsource.testdomain.Commands.Nothing;
import dev.eventsource.testdomain.Commands.Open;
import dev.eventsource.testdomain.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineCommandTest {

    private final InMemoryStore store = new InMemoryStore();
    private Engine engine = engine(store);

    private static Engine engine(EventStore store) {
        Engine e = new Engine(store);
        e.registerAggregate(Counter.class);
        e.registerAggregate(Account.class);
        return e;
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private List<StoredEvent> stream(String type, String id) {
        List<StoredEvent> out = new ArrayList<>();
        store.readStream(type, id, 0, out::add);
        return out;
    }

    @Test
    void executeOnANewIdCreatesTheAggregate() {
        Counter c = engine.execute(Counter.class, "c1", new Add("c1", 5));

        assertThat(c.id()).isEqualTo("c1");
        assertThat(c.value()).isEqualTo(5);
        assertThat(c.version()).isEqualTo(2);
        assertThat(c.uncommittedEvents()).isEmpty();
        assertThat(stream("Counter", "c1")).extracting(StoredEvent::eventType).containsExactly("Created", "Added");
        assertThat(new String(stream("Counter", "c1").get(1).payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"c1\",\"amount\":5}");
    }

    @Test
    void laterCommandsContinueTheStreamAndLoadSeesTheState() {
        engine.execute(Counter.class, "c1", new Add("c1", 5));
        engine.execute(Counter.class, "c1", new Add("c1", 7));

        Counter loaded = engine.load(Counter.class, "c1").orElseThrow();

        assertThat(loaded.value()).isEqualTo(12);
        assertThat(loaded.version()).isEqualTo(3);
        assertThat(engine.load(Counter.class, "nobody")).isEmpty();
    }

    @Test
    void eventIdsAreTimeOrderedUuidV7() {
        engine.execute(Counter.class, "c1", new Add("c1", 1));
        engine.execute(Counter.class, "c1", new Add("c1", 1));
        List<UUID> ids = stream("Counter", "c1").stream().map(StoredEvent::eventId).toList();

        assertThat(ids).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
        assertThat(ids).isSorted();
    }

    @Test
    void validationFailureAppendsNothing() {
        engine.execute(Counter.class, "c1", new Add("c1", 5));
        long head = store.headPosition();

        assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Add("c1", -3)))
                .isInstanceOf(CommandValidationException.class)
                .hasMessage("amount must be positive: -3");
        assertThat(store.headPosition()).isEqualTo(head);
        assertThat(engine.execute(Counter.class, "c1", new Add("c1", 1)).value()).isEqualTo(6);
    }

    @Test
    void performFailureAppendsNothingAndLeavesNoHalfChangedInstanceBehind() {
        engine.execute(Counter.class, "c1", new Add("c1", 5));
        long head = store.headPosition();

        assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new AddThenFail("c1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("perform failed after recording");
        assertThat(store.headPosition()).isEqualTo(head);
        Counter next = engine.execute(Counter.class, "c1", new Add("c1", 1));
        assertThat(next.value()).isEqualTo(6);
        assertThat(next.version()).isEqualTo(3);
        assertThatThrownBy(() -> engine.execute(Counter.class, "new", new AddThenFail("new")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(engine.load(Counter.class, "new")).isEmpty();
    }

    @Test
    void commandThatRecordsNothingAppendsNothing() {
        Counter none = engine.execute(Counter.class, "c1", new Nothing());

        assertThat(none.version()).isZero();
        assertThat(store.headPosition()).isZero();
        assertThat(engine.load(Counter.class, "c1")).isEmpty();
    }

    @Test
    void metadataIsStoredAndEnvelopesReachApplyMethods() {
        Account opened = engine.execute(Account.class, "a1", new Open("a1", "ann"), Map.of("user", "bob"));

        assertThat(opened.openedBy()).isEqualTo("bob");
        assertThat(opened.openedAtPosition()).as("not committed yet while recording").isZero();
        assertThat(opened.openedVersion()).isEqualTo(1);
        StoredEvent stored = stream("account", "a1").get(0);
        assertThat(stored.metadata()).containsEntry("user", "bob").containsOnlyKeys("user", "command-id", "correlation-id");

        Account loaded = engine.load(Account.class, "a1").orElseThrow();
        assertThat(loaded.openedBy()).isEqualTo("bob");
        assertThat(loaded.openedAtPosition()).isEqualTo(stored.globalPosition());
    }

    @Test
    void anotherWriterIsSeenThroughTheCache() {
        engine.execute(Counter.class, "c1", new Add("c1", 5));
        try (Engine other = engine(store)) {
            other.execute(Counter.class, "c1", new Add("c1", 10));
        }
        assertThat(engine.execute(Counter.class, "c1", new Add("c1", 1)).value()).isEqualTo(16);
    }

    @Test
    void unregisteredAggregateAndBadIdsAreRejectedClearly() {
        Engine bare = new Engine(new InMemoryStore());
        assertThatThrownBy(() -> bare.execute(Counter.class, "c1", new Add("c1", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registerAggregate(Counter.class)");
        assertThatThrownBy(() -> engine.execute(Counter.class, "", new Add("", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Add("c2", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Counter/c1").hasMessageContaining("'c2'");
        assertThat(store.headPosition()).isZero();
        bare.close();
    }

    @Test
    void conflictsAreRetriedThenReportedWithStreamAndVersions() {
        AtomicInteger appends = new AtomicInteger();
        EventStore alwaysConflicting = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
                appends.incrementAndGet();
                throw new ConcurrencyException(type, id, expected, expected + 1);
            }
        };
        try (Engine conflicted = Engine.builder().store(alwaysConflicting).maxRetries(2).build()) {
            conflicted.registerAggregate(Counter.class);

            assertThatThrownBy(() -> conflicted.execute(Counter.class, "c1", new Add("c1", 1)))
                    .isInstanceOfSatisfying(ConcurrencyException.class, e -> {
                        assertThat(e.streamType()).isEqualTo("Counter");
                        assertThat(e.streamId()).isEqualTo("c1");
                        assertThat(e.expectedVersion()).isZero();
                        assertThat(e.actualVersion()).isEqualTo(1);
                    })
                    .hasMessageContaining("Counter/c1").hasMessageContaining("gave up after 3 attempts");
        }
        assertThat(appends).hasValue(3);
    }

    @Test
    void oneConflictIsRetriedWithTheOtherWritersEvents() {
        AtomicInteger interfere = new AtomicInteger(1);
        EventStore racing = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(String type, String id, long expected, List<NewEvent> events) {
                if (interfere.getAndDecrement() == 1) {
                    // another writer gets in first
                    delegate().append(type, id, expected, List.of(new NewEvent(UUID.randomUUID(), "Added", 1, Instant.now(),
                            "{\"id\":\"c1\",\"amount\":100}".getBytes(StandardCharsets.UTF_8), Map.of())));
                }
                return delegate().append(type, id, expected, events);
            }
        };
        engine.execute(Counter.class, "c1", new Add("c1", 1));
        try (Engine racer = engine(racing)) {
            Counter c = racer.execute(Counter.class, "c1", new Add("c1", 2));
            assertThat(c.value()).isEqualTo(103);
            assertThat(c.version()).isEqualTo(4);
        }
    }

    @Test
    void concurrentCommandsOnFewAggregatesLoseNoUpdate() throws Exception {
        int threads = 8;
        int perThread = 1_000;
        int aggregates = 10;
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String id = "c" + ((thread + i) % aggregates);
                        try {
                            engine.execute(Counter.class, id, new Add(id, 1));
                            succeeded.incrementAndGet();
                        } catch (ConcurrencyException e) {
                            conflicts.incrementAndGet();
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

        long total = 0;
        for (int a = 0; a < aggregates; a++) {
            Counter c = engine.load(Counter.class, "c" + a).orElseThrow();
            total += c.value();
            assertThat(c.version()).isEqualTo(c.value() + 1);
        }
        assertThat(total).isEqualTo(succeeded.get());
        assertThat(succeeded.get() + conflicts.get()).isEqualTo(threads * perThread);
        assertThat(succeeded.get()).isGreaterThan(threads * perThread / 2);
    }

    @Test
    void closeRejectsLaterCommandsAndIsIdempotent() {
        engine.execute(Counter.class, "c1", new Add("c1", 1));
        engine.close();
        engine.close();

        assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Add("c1", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("engine is closed").hasMessageContaining("Counter/c1");
        assertThatThrownBy(() -> engine.registerAggregate(Counter.class)).isInstanceOf(IllegalStateException.class);
        assertThat(store.headPosition()).isEqualTo(2);
    }

    @Test
    void builderRejectsBadSettingsNamingTheValue() {
        assertThatThrownBy(() -> Engine.builder().snapshotEvery(-2)).hasMessageContaining("-2");
        assertThatThrownBy(() -> Engine.builder().maxRetries(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> Engine.builder().aggregateCacheSize(-5)).hasMessageContaining("-5");
    }

    @Test
    void worksWithTheCacheTurnedOff() {
        try (Engine uncached = Engine.builder().store(new InMemoryStore()).aggregateCacheSize(0).build()) {
            uncached.registerAggregate(Counter.class);
            uncached.execute(Counter.class, "c1", new Add("c1", 2));
            Counter first = uncached.execute(Counter.class, "c1", new Add("c1", 3));
            Counter second = uncached.execute(Counter.class, "c1", new Add("c1", 4));
            assertThat(second).isNotSameAs(first);
            assertThat(second.value()).isEqualTo(9);
        }
    }

    @Test
    void recordOutsideACommandIsRefusedAndNeverLeaksIntoTheNextCommand() {
        Counter returned = engine.execute(Counter.class, "c1", new Add("c1", 1));

        assertThatThrownBy(() -> returned.record(new dev.eventsource.testdomain.Events.Added("c1", 100)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll("outside a command", "Command.perform", "c1");
        engine.execute(Counter.class, "c1", new Add("c1", 2));

        assertThat(stream("Counter", "c1")).extracting(StoredEvent::eventType).containsExactly("Created", "Added", "Added");
        assertThat(engine.load(Counter.class, "c1").orElseThrow().value()).isEqualTo(3);
        assertThatThrownBy(() -> new Counter().record(new dev.eventsource.testdomain.Events.Created("c9")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not loaded by an engine");
    }

    @Test
    void recordFromAnotherThreadDuringACommandIsRefused() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            List<Throwable> seen = new ArrayList<>();
            engine.execute(Counter.class, "c1", counter -> {
                Future<?> f = other.submit(() -> counter.record(new dev.eventsource.testdomain.Events.Created("c1")));
                try {
                    f.get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    seen.add(e.getCause());
                }
                counter.record(new dev.eventsource.testdomain.Events.Created("c1"));
            });
            assertThat(seen).singleElement().isInstanceOf(IllegalStateException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("a command runs on it on thread"));
            assertThat(stream("Counter", "c1")).hasSize(1);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aNullMetadataValueIsRefusedNamingItsKeyBeforeTheCommandRuns() {
        Map<String, String> metadata = new java.util.HashMap<>();
        metadata.put("user", null);
        assertThatThrownBy(() -> engine.execute(Counter.class, "c1", new Add("c1", 1), metadata))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("metadata key 'user'", "null value", "Counter/'c1'");
        assertThat(store.headPosition()).isZero();
    }

    @Test
    void aPayloadWithContentAfterItsObjectDoesNotLoad() {
        store.append("Counter", "c1", 0, List.of(
                new NewEvent(UUID.randomUUID(), "Created", 1, Instant.now(), "{\"id\":\"c1\"}".getBytes(StandardCharsets.UTF_8),
                        Map.of()),
                new NewEvent(UUID.randomUUID(), "Added", 1, Instant.now(),
                        "{\"id\":\"c1\",\"amount\":1} {\"amount\":2}".getBytes(StandardCharsets.UTF_8), Map.of())));

        assertThatThrownBy(() -> engine.load(Counter.class, "c1"))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContainingAll("Counter/c1@2", "event type Added", "unexpected content after the JSON object");
    }

    @Test
    void aRowTheStoreCouldNotReadFailsTheLoadNamingIt() {
        engine.execute(Counter.class, "c1", new Add("c1", 1));
        EventStore unreadable = new ForwardingEventStore(store) {
            @Override
            public long readStream(String type, String id, long afterVersion, java.util.function.Consumer<? super StoredEvent> sink) {
                return super.readStream(type, id, afterVersion, e -> sink.accept(e.version() == 2 ? withProblem(e) : e));
            }
        };
        try (Engine reader = engine(unreadable)) {
            assertThatThrownBy(() -> reader.load(Counter.class, "c1"))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContainingAll("Counter/c1@2 (position 2, event type Added)", "unreadable metadata: test");
        }
    }

    static StoredEvent withProblem(StoredEvent e) {
        return new StoredEvent(e.globalPosition(), e.streamType(), e.streamId(), e.version(), e.eventId(), e.eventType(),
                e.eventVersion(), e.timestamp(), e.payload(), Map.of(), "unreadable metadata: test");
    }
}
