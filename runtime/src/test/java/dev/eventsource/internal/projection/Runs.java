package dev.eventsource.internal.projection;

import dev.eventsource.EngineObserver;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.StreamOptions;
import dev.eventsource.internal.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.testdomain.Codecs;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Fixtures for testing the parts of an asynchronous projection one at a time, without its threads. */
final class Runs {

    static final Instant NOW = Instant.parse("2026-12-01T10:15:30Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final EventRegistry REGISTRY = EventRegistry.EMPTY.with("test", List.of(Codecs.ADDED));

    private Runs() {
    }

    /** A run of {@code projection} on {@code store}, stopping once {@code stopping} is set. */
    static ProjectionRun run(Projection projection, StreamOptions options, EventStore store, AtomicBoolean stopping) {
        return new ProjectionRun(Target.plain(projection, () -> REGISTRY), options, store, null, CLOCK, stopping::get,
                new StoreRetry(projection.name(), stopping::get), EngineObserver.NONE);
    }

    /** A stored {@code Added} event of counter {@code id}, with {@code payload} as its JSON. */
    static StoredEvent added(long position, String id, String payload) {
        return new StoredEvent(position, "Counter", id, 1, UUID.randomUUID(), "Added", 1, NOW,
                payload.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A stored {@code Added} event of counter {@code id} that decodes. */
    static StoredEvent added(long position, String id) {
        return added(position, id, "{\"id\":\"" + id + "\",\"amount\":1}");
    }

    /** A projection that records the positions it handled and fails the first {@code failures} calls. */
    static final class Flaky implements Projection {
        final List<Long> handled = new CopyOnWriteArrayList<>();
        volatile int failures;
        volatile int calls;

        Flaky(int failures) {
            this.failures = failures;
        }

        @Override
        public void handle(EventEnvelope<?> event) {
            calls++;
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("cannot handle position " + event.globalPosition());
            }
            handled.add(event.globalPosition());
        }

        @Override
        public String name() {
            return "flaky";
        }
    }
}
