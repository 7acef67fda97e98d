package dev.eventsource.internal;

import dev.eventsource.spi.EventCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every event type the engine knows, by stable name and alias, collected from the registered aggregates' and
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
     * A registry that also knows {@code codecs}, each under its stable name and its aliases.
     *
     * @param owner what the codecs come from, for error messages ("aggregate Order")
     * @throws IllegalArgumentException if a name or alias is already taken by another class
     */
    public EventRegistry with(String owner, List<EventCodec<?>> codecs) {
        Map<String, EventCodec<?>> names = new HashMap<>(byName);
        Map<String, String> owners = new HashMap<>(ownerByName);
        for (EventCodec<?> codec : codecs) {
            for (String storedName : storedNames(codec)) {
                EventCodec<?> existing = names.putIfAbsent(storedName, codec);
                if (existing == null) {
                    owners.put(storedName, owner);
                } else if (existing.type() != codec.type()) {
                    throw new IllegalArgumentException("stored event type name '" + storedName
                            + "' is used by two classes: " + existing.type().getName() + " (" + owners.get(storedName)
                            + ") and " + codec.type().getName() + " (" + owner + "); give one of them another"
                            + " @EventType(name = ...), or remove the alias");
                }
            }
        }
        return new EventRegistry(Map.copyOf(names), Map.copyOf(owners));
    }

    /** The names a codec decodes: its stable name, then its aliases. */
    public static List<String> storedNames(EventCodec<?> codec) {
        List<String> aliases = codec.aliases();
        if (aliases.isEmpty()) {
            return List.of(codec.name());
        }
        List<String> all = new ArrayList<>(aliases.size() + 1);
        all.add(codec.name());
        all.addAll(aliases);
        return all;
    }
}
