package dev.eventsource.tests.evolution.shipping;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;

/** {@link VersionsContract} on the in-memory store. */
class InMemoryVersionsTest extends VersionsContract {

    @Override
    protected EventStore store() {
        return new InMemoryStore();
    }
}
