package dev.eventsource.internal;

import dev.eventsource.spi.EventCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every event type the engine knows, by stable name, collected from the registered aggregates' and
 * projections' codecs; plain {@link dev.eventsource.Projection}s receive every event decoded with it.
 * Immutable: registering something makes a new registry.
 *
 * <p>Thread-safe (immutable).
 *
 * <pre>{@code
 * EventRegistry registry = EventRegistry.EMPTY.with("aggregate Order", descriptor.eventCodecs());
 * EventCodec<?> codec = registry.codec("OrderCreated");
 * }</pre>
 */
public final class EventRegistry {

    /** The registry before anything is registered. */
    public static final EventRegistry EMPTY = new EventRegistry(Map.of(), Map.of());

    private final Map<String, EventCodec<?>> byName;
    private final Map<String, String> ownerByName;

    private EventRegistry(Map<String, EventCodec<?>> byName, Map<String, String> ownerByName) {
        this.byName = byName;
        this.ownerByName = ownerByName;
    }

    /** The codec for a stored event type name, or {@code null} if nothing registered knows it. */
    public EventCodec<?> codec(String eventType) {
        return byName.get(eventType);
    }

    /**
     * A registry that also knows {@code codecs}.
     *
     * @param owner what the codecs come from, for error messages ("aggregate Order")
     * @throws IllegalArgumentException if a name is already taken by another class
     */
    public EventRegistry with(String owner, List<EventCodec<?>> codecs) {
        Map<String, EventCodec<?>> names = new HashMap<>(byName);
        Map<String, String> owners = new HashMap<>(ownerByName);
        for (EventCodec<?> codec : codecs) {
            EventCodec<?> existing = names.putIfAbsent(codec.name(), codec);
            if (existing == null) {
                owners.put(codec.name(), owner);
            } else if (existing.type() != codec.type()) {
                throw new IllegalArgumentException("event type name '" + codec.name() + "' is used by two classes: "
                        + existing.type().getName() + " (" + owners.get(codec.name()) + ") and " + codec.type().getName()
                        + " (" + owner + "); give one of them another @EventType(name = ...)");
            }
        }
        return new EventRegistry(Map.copyOf(names), Map.copyOf(owners));
    }
}
