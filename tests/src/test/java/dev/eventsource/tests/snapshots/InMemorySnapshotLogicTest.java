package dev.eventsource.tests.snapshots;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;

/** {@link SnapshotLogicContract} on the in-memory store. */
class InMemorySnapshotLogicTest extends SnapshotLogicContract {

    @Override
    EventStore store() {
        return new InMemoryStore();
    }
}
