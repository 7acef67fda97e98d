package dev.eventsource.tests.evolution;

import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain {@link Projection}: it receives every event, decoded with the engine's registry of all
 * known types, and keeps the decoded objects in order.
 */
public final class EveryEvent implements Projection {

    private final String name;
    /** The decoded events, in the order they were handled. */
    public final List<Object> events = new CopyOnWriteArrayList<>();

    public EveryEvent(String name) {
        this.name = name;
    }

    @Override
    public void handle(EventEnvelope<?> event) {
        events.add(event.data());
    }

    @Override
    public String name() {
        return name;
    }
}
