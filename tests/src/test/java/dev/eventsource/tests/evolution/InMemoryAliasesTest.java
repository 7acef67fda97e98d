package dev.eventsource.tests.evolution;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;

/** {@link AliasesContract} on the in-memory store. */
class InMemoryAliasesTest extends AliasesContract {

    @Override
    EventStore store() {
        return new InMemoryStore();
    }
}
