package dev.eventsource.tests.evolution;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;

/** {@link WiderTypesContract} on the in-memory store. */
class InMemoryWiderTypesTest extends WiderTypesContract {

    @Override
    EventStore store() {
        return new InMemoryStore();
    }
}
