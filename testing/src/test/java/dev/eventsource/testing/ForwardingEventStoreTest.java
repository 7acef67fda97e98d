package dev.eventsource.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.AggregateLoad;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ForwardingEventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.Snapshot;
import dev.eventsource.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A forwarding store that overrides nothing behaves as its delegate: it passes the suites its delegate passes. */
class ForwardingEventStoreTest extends StoreConformance<EventStore> {

    @Override
    protected EventStore createStore() {
        return new ForwardingEventStore(new InMemoryStore()) { };
    }

    @Test
    void closeIsForwardedUnlessOverridden() {
        AtomicBoolean closed = new AtomicBoolean();
        InMemoryStore delegate = new InMemoryStore() {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        new ForwardingEventStore(delegate) { }.close();
        assertThat(closed).isTrue();
    }

    @Test
    void loadAggregateGoesThroughTheDecoratorsOwnSnapshotAndStreamReads() {
        InMemoryStore delegate = new InMemoryStore();
        delegate.append("Order", "o1", 0, List.of(new NewEvent(UUID.randomUUID(), "Placed", 1,
                Instant.now(), "{}".getBytes(StandardCharsets.UTF_8), Map.of())));
        delegate.saveSnapshot(new Snapshot("Order", "o1", 1, 42L, new byte[] {1}, Instant.now()));
        EventStore hidden = new ForwardingEventStore(delegate) {
            @Override
            public Optional<Snapshot> loadSnapshot(String streamType, String streamId) {
                return Optional.empty();
            }
        };
        AtomicBoolean offered = new AtomicBoolean();
        List<Long> versions = new ArrayList<>();
        long version = hidden.loadAggregate("Order", "o1", new AggregateLoad() {
            @Override
            public boolean snapshot(Snapshot s) {
                offered.set(true);
                return true;
            }

            @Override
            public void accept(StoredEvent e) {
                versions.add(e.version());
            }
        });
        assertThat(offered).as("the hidden snapshot is not offered").isFalse();
        assertThat(versions).containsExactly(1L);
        assertThat(version).isEqualTo(1);
    }
}
