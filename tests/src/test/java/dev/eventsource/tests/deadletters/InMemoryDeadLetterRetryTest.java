package dev.eventsource.tests.deadletters;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;

/** {@link DeadLetterRetryContract} on the in-memory store. */
class InMemoryDeadLetterRetryTest extends DeadLetterRetryContract {

    @Override
    EventStore store() {
        return new InMemoryStore();
    }
}
