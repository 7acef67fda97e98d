package dev.eventsource.tests.reliability;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;

/** {@link LimitsContract} on the in-memory store. */
class InMemoryLimitsTest extends LimitsContract {

    private final InMemoryStore store = new InMemoryStore();

    @Override
    EventStore store() {
        return store;
    }
}
