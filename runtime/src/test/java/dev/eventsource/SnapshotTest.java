package dev.eventsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.Snapshot;
import dev.eventsource.testdomain.Account;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Commands.Open;
import dev.eventsource.testdomain.Counter;
import dev.eventsource.testdomain.Counter_Aggregate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    private final InMemoryStore store = new InMemoryStore();
    private final Engine engine = Engine.builder().store(store).snapshotEvery(10).build();

    {
        engine.registerAggregate(Counter.class);
        engine.registerAggregate(Account.class);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private Snapshot awaitSnapshot(String type, String id, long version) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<Snapshot> s = store.loadSnapshot(type, id);
            if (s.isPresent() && s.get().version() >= version) {
                return s.get();
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new AssertionError("no snapshot of " + type + "/" + id + " at version " + version);
    }

    /** 1 command = Created + Added, then one Added per command: version = commands + 1. */
    private void addTimes(String id, int commands) {
        for (int i = 0; i < commands; i++) {
            engine.execute(Counter.class, id, new Add(id, 1));
        }
    }

    @Test
    void snapshotIsWrittenEveryNEventsAndLoadAppliesOnlyLaterEvents() {
        addTimes("c1", 24); // version 25: snapshots at 10 and 20
        Snapshot snapshot = awaitSnapshot("Counter", "c1", 20);
        assertThat(snapshot.version()).isEqualTo(20);
        assertThat(snapshot.fingerprint()).isEqualTo(Counter_Aggregate.FINGERPRINT);
        assertThat(new String(snapshot.state(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"c1\",\"value\":19}");

        Counter.APPLIED.set(0);
        Counter loaded = engine.load(Counter.class, "c1").orElseThrow();

        assertThat(Counter.APPLIED.get()).as("@Apply calls during load").isEqualTo(5);
        assertThat(loaded.value()).isEqualTo(24);
        assertThat(loaded.version()).isEqualTo(25);
    }

    @Test
    void snapshotWithAnotherFingerprintIsIgnoredAndTheStreamReplayed() {
        addTimes("c1", 4); // version 5
        store.saveSnapshot(new Snapshot("Counter", "c1", 5, Counter_Aggregate.FINGERPRINT + 1,
                "{\"id\":\"c1\",\"value\":999}".getBytes(StandardCharsets.UTF_8), Instant.now()));

        Counter.APPLIED.set(0);
        Counter loaded = engine.load(Counter.class, "c1").orElseThrow();

        assertThat(Counter.APPLIED.get()).isEqualTo(5);
        assertThat(loaded.value()).isEqualTo(4);
        assertThat(loaded.version()).isEqualTo(5);
    }

    @Test
    void unreadableSnapshotIsIgnoredAndTheStreamReplayed() {
        addTimes("c1", 4);
        store.saveSnapshot(new Snapshot("Counter", "c1", 5, Counter_Aggregate.FINGERPRINT,
                "{\"id\":\"c1\",\"value\":".getBytes(StandardCharsets.UTF_8), Instant.now()));

        Counter.APPLIED.set(0);
        Counter loaded = engine.load(Counter.class, "c1").orElseThrow();

        assertThat(Counter.APPLIED.get()).isEqualTo(5);
        assertThat(loaded.value()).isEqualTo(4);
        // commands work too, from a full replay
        assertThat(engine.execute(Counter.class, "c1", new Add("c1", 1)).value()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void commandsOnAColdEngineStartFromTheSnapshot() {
        addTimes("c1", 14); // version 15, snapshot at 10
        awaitSnapshot("Counter", "c1", 10);
        try (Engine cold = Engine.builder().store(store).snapshotEvery(10).build()) {
            cold.registerAggregate(Counter.class);
            Counter.APPLIED.set(0);
            Counter c = cold.execute(Counter.class, "c1", new Add("c1", 1));
            assertThat(Counter.APPLIED.get()).as("5 replayed after the snapshot + 1 recorded").isEqualTo(6);
            assertThat(c.value()).isEqualTo(15);
        }
    }

    @Test
    void engineDefaultZeroAndNegativeAggregateSettingTakeNoSnapshots() {
        try (Engine none = Engine.builder().store(store).snapshotEvery(0).build()) {
            none.registerAggregate(Counter.class);
            for (int i = 0; i < 30; i++) {
                none.execute(Counter.class, "c9", new Add("c9", 1));
            }
        }
        for (int i = 0; i < 30; i++) {
            engine.execute(Account.class, "a" + i, new Open("a" + i, "x"));
        }
        engine.close();
        assertThat(store.loadSnapshot("Counter", "c9")).isEmpty();
        assertThat(store.loadSnapshot("account", "a0")).isEmpty();
    }

    @Test
    void closeWritesQueuedSnapshots() {
        engine.start();
        addTimes("c2", 9);
        engine.close();
        assertThat(store.loadSnapshot("Counter", "c2")).map(Snapshot::version).contains(10L);
        assertThat(engine.awaitProjections(Duration.ofMillis(1))).isTrue();
    }
}
