package dev.eventsource.tests.reliability;

import dev.eventsource.store.InMemoryStore;

/** {@link IdempotencyContract} on the in-memory store. */
class InMemoryIdempotencyTest extends IdempotencyContract {

    private final InMemoryStore store = new InMemoryStore();

    @Override
    InMemoryStore store() {
        return store;
    }
}
