package dev.eventsource.testing;

import static dev.eventsource.testing.Fixtures.events;
import static dev.eventsource.testing.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.AggregateLoad;
import dev.eventsource.store.AppendEvents;
import dev.eventsource.store.LoadAggregate;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the {@link LoadAggregate} role (with the {@link AppendEvents} that fills the
 * streams): the newest snapshot first, then the events after it; every event without a snapshot or
 * after a refused one; a snapshot beyond the last event; empty and long streams.
 *
 * <pre>{@code
 * class InMemoryLoadTest extends LoadAggregateConformance<InMemoryStore> {
 *     @Override protected InMemoryStore createStore() { return new InMemoryStore(); }
 * }
 * }</pre>
 *
 * @param <S> the type of the store under test
 */
public abstract class LoadAggregateConformance<S extends AppendEvents & LoadAggregate> extends RoleConformance<S> {

    private final String type = Fixtures.newType();

    private Snapshot snapshot(String id, long version, String state) {
        return Fixtures.snapshot(type, id, version, state);
    }

    private void assertSnapshot(Snapshot loaded, String id, long version, String state) {
        Fixtures.assertSnapshot(loaded, type, id, version, state);
    }

    /** Records what {@link LoadAggregate#loadAggregate} passes: "snapshot@v" then "event@v" entries. */
    private static final class Recorder implements AggregateLoad {
        final boolean acceptSnapshot;
        final List<String> seen = new ArrayList<>();
        final List<StoredEvent> events = new ArrayList<>();
        Snapshot snapshot;

        Recorder(boolean acceptSnapshot) {
            this.acceptSnapshot = acceptSnapshot;
        }

        @Override
        public boolean snapshot(Snapshot s) {
            snapshot = s;
            seen.add("snapshot@" + s.version());
            return acceptSnapshot;
        }

        @Override
        public void accept(StoredEvent e) {
            events.add(e);
            seen.add("event@" + e.version());
        }
    }

    @Test
    void loadAggregateDeliversTheSnapshotFirstThenTheEventsAfterIt() {
        String id = newId();
        List<NewEvent> appended = events(5);
        store.append(type, id, 0, appended);
        store.saveSnapshot(snapshot(id, 3, "{\"at\":3}"));
        Recorder load = new Recorder(true);

        long version = store.loadAggregate(type, id, load);

        assertThat(version).isEqualTo(5);
        assertThat(load.seen).containsExactly("snapshot@3", "event@4", "event@5");
        assertSnapshot(load.snapshot, id, 3, "{\"at\":3}");
        StoredEvent fourth = load.events.get(0);
        assertThat(fourth.eventId()).isEqualTo(appended.get(3).eventId());
        assertThat(new String(fourth.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":3}");
        assertThat(fourth.streamType()).isEqualTo(type);
        assertThat(fourth.streamId()).isEqualTo(id);
    }

    @Test
    void loadAggregateWithoutSnapshotDeliversEveryEvent() {
        String id = newId();
        store.append(type, id, 0, events(3));
        store.saveSnapshot(snapshot(newId(), 2, "{}"));                 // another stream's snapshot is not offered
        Recorder load = new Recorder(true);

        assertThat(store.loadAggregate(type, id, load)).isEqualTo(3);
        assertThat(load.seen).containsExactly("event@1", "event@2", "event@3");
    }

    @Test
    void loadAggregateAfterARefusedSnapshotDeliversEveryEventFromTheStart() {
        String id = newId();
        store.append(type, id, 0, events(4));
        store.saveSnapshot(snapshot(id, 2, "{}"));
        Recorder load = new Recorder(false);

        assertThat(store.loadAggregate(type, id, load)).isEqualTo(4);
        assertThat(load.seen).containsExactly("snapshot@2", "event@1", "event@2", "event@3", "event@4");
    }

    @Test
    void loadAggregateOffersASnapshotNewerThanTheLastEventAndNoEvent() {
        String id = newId();
        store.append(type, id, 0, events(2));
        store.saveSnapshot(snapshot(id, 5, "{}"));
        Recorder load = new Recorder(true);

        assertThat(store.loadAggregate(type, id, load)).isEqualTo(5);
        assertThat(load.seen).containsExactly("snapshot@5");
    }

    @Test
    void loadAggregateOfAnEmptyStreamPassesNothingAndReturnsZero() {
        Recorder load = new Recorder(true);
        assertThat(store.loadAggregate(type, newId(), load)).isZero();
        assertThat(load.seen).isEmpty();

        String snapshotOnly = newId();                                   // a snapshot without events is still offered
        store.saveSnapshot(snapshot(snapshotOnly, 7, "{}"));
        Recorder refused = new Recorder(false);
        assertThat(store.loadAggregate(type, snapshotOnly, refused)).isZero();
        assertThat(refused.seen).containsExactly("snapshot@7");
    }

    @Test
    void loadAggregateOfALongStreamDeliversEveryLaterEventInOrder() {
        String id = newId();
        int total = 5_500;
        long version = 0;
        while (version < total) {
            version = store.append(type, id, version, events(500)).version();
        }
        store.saveSnapshot(snapshot(id, 1_200, "{}"));
        Recorder load = new Recorder(true);

        assertThat(store.loadAggregate(type, id, load)).isEqualTo(total);
        assertThat(load.seen.get(0)).isEqualTo("snapshot@1200");
        assertThat(load.events).hasSize(total - 1_200);
        for (int i = 0; i < load.events.size(); i++) {
            assertThat(load.events.get(i).version()).isEqualTo(1_201 + i);
        }
    }
}
