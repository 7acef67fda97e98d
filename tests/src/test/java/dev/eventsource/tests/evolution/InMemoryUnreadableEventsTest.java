package dev.eventsource.tests.evolution;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;

/** {@link UnreadableEventsContract} on the in-memory store. */
class InMemoryUnreadableEventsTest extends UnreadableEventsContract {

    @Override
    EventStore store() {
        return new InMemoryStore();
    }
}
