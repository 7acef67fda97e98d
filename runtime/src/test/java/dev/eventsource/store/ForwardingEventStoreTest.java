package dev.eventsource.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A forwarding store that overrides nothing behaves as its delegate: it passes the whole suite. */
class ForwardingEventStoreTest extends EventStoreConformance {

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
}
