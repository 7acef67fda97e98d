package dev.eventsource.tests.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.store.EventStore;
import dev.eventsource.tests.snapshots.v1.Tally;
import org.junit.jupiter.api.Test;

/**
 * A snapshot taken by one release of an aggregate is not used by a release whose {@code @Apply}
 * logic differs, though the stream type and the state fields are the same: the fingerprint covers
 * the {@code @Apply} methods, so the new release replays the stream. Each store runs it with a thin
 * subclass.
 */
abstract class SnapshotLogicContract {

    /** A store that starts empty for each test. */
    abstract EventStore store();

    @Test
    void aSnapshotOfOtherApplyLogicIsIgnoredAndTheStreamReplayed() {
        EventStore store = store();
        try (Engine release1 = Engine.builder().store(store).build()) {
            release1.registerAggregate(Tally.class);
            for (long amount = 1; amount <= 4; amount++) {
                release1.execute(Tally.class, "t1", new Tally.Count("t1", amount));
            }
            assertThat(release1.load(Tally.class, "t1").orElseThrow().total).isEqualTo(10);
        }                                                 // close() writes the queued snapshot
        assertThat(store.loadSnapshot("tally", "t1")).as("release 1 took a snapshot").get()
                .satisfies(s -> assertThat(s.version()).isBetween(3L, 4L));

        try (Engine release2 = Engine.builder().store(store).build()) {
            release2.registerAggregate(dev.eventsource.tests.snapshots.v2.Tally.class);
            release2.start();

            assertThat(release2.load(dev.eventsource.tests.snapshots.v2.Tally.class, "t1").orElseThrow().total)
                    .as("2 * (1 + 2 + 3 + 4) replayed, not release 1's snapshot with the rest applied twice").isEqualTo(20);
        }
    }
}
