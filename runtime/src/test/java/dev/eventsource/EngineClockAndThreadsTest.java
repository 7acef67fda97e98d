package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.testdomain.Account;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Commands.Open;
import dev.eventsource.testdomain.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/**
 * Time and threads come from the builder: a fixed clock stamps events (their UUIDv7 ids carry its
 * millisecond or, to stay increasing, a later one), snapshots and dead letters; every thread the engine starts is made by its thread
 * factory, named {@code eventsource-...}, a daemon.
 */
class EngineClockAndThreadsTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final Clock FIXED = Clock.fixed(AT, ZoneOffset.UTC);

    /** A factory that remembers every thread it made. */
    static final class Recording implements ThreadFactory {
        final Set<Thread> made = ConcurrentHashMap.newKeySet();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r);
            made.add(t);
            return t;
        }

        /** The names of the threads it made. */
        Set<String> names() {
            Set<String> names = new java.util.HashSet<>();
            made.forEach(t -> names.add(t.getName()));
            return names;
        }
    }

    private static long uuid7Millis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    @Test
    void eventsSnapshotsAndEventIdsTakeTheirTimeFromTheClock() {
        InMemoryStore store = new InMemoryStore();
        try (Engine engine = Engine.builder().store(store).clock(FIXED).snapshotEvery(2).build()) {
            engine.registerAggregate(Counter.class);
            engine.registerAggregate(Account.class);    // its @Apply takes an envelope: the provisional one is stamped too
            engine.execute(Counter.class, "c1", new Add("c1", 1));
            engine.execute(Account.class, "a1", new Open("a1", "ann"));
        }
        List<StoredEvent> events = store.readLog(0, 10);
        assertThat(events).hasSize(3).allSatisfy(e -> {
            assertThat(e.timestamp()).isEqualTo(AT);
            // The clock's millisecond, or a later one: ids stay increasing in a JVM, and earlier tests
            // took ids at the real time, ahead of this fixed clock.
            assertThat(uuid7Millis(e.eventId())).isGreaterThanOrEqualTo(AT.toEpochMilli());
        });
        assertThat(events).extracting(StoredEvent::eventId).isSorted();
        assertThat(store.loadSnapshot("Counter", "c1")).hasValueSatisfying(s -> assertThat(s.takenAt()).isEqualTo(AT));
    }

    @Test
    void deadLettersAreStampedByTheClock() {
        InMemoryStore store = new InMemoryStore();
        ProjectionTest.Recorder failing = new ProjectionTest.Recorder("failing");
        failing.failOn = 7;
        try (Engine engine = Engine.builder().store(store).clock(FIXED).build()) {
            engine.registerAggregate(Counter.class);
            engine.registerProjection(failing, StreamOptions.named("failing").maxAttempts(1));
            engine.start();
            engine.execute(Counter.class, "c1", new Add("c1", 7));
            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(store.loadDeadLetters("failing")).extracting(DeadLetter::failedAt).containsExactly(AT);
    }

    @Test
    void everyThreadTheEngineStartsComesFromItsFactory() {
        Recording factory = new Recording();
        InMemoryStore store = new InMemoryStore();
        try (Engine engine = Engine.builder().store(store).threadFactory(factory).snapshotEvery(1).build()) {
            engine.registerAggregate(Counter.class);
            engine.registerProjection(new ProjectionTest.Recorder("seen"), StreamOptions.named("seen").partitions(2));
            engine.start();
            engine.execute(Counter.class, "c1", new Add("c1", 1));   // a snapshot: the writer thread starts
            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();

            List<String> names = new ArrayList<>();
            factory.made.forEach(t -> names.add(t.getName()));
            assertThat(names).contains("eventsource-seen-reader", "eventsource-seen-p0", "eventsource-seen-p1",
                    "eventsource-snapshots");
            assertThat(factory.made).allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("eventsource-seen")
                    || t.getName().equals("eventsource-snapshots")).allSatisfy(t -> assertThat(factory.made).contains(t));
        }
    }
}
