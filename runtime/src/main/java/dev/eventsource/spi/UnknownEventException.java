package dev.eventsource.spi;

import dev.eventsource.EventSourceException;

/**
 * An event reached an aggregate that has no {@code @Apply} method for it.
 *
 * <pre>{@code
 * throw new UnknownEventException("Order", "com.acme.OrderShipped");
 * // message: aggregate Order has no @Apply method for event type com.acme.OrderShipped
 * }</pre>
 */
public final class UnknownEventException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String aggregate;
    private final String eventType;

    /**
     * @param aggregate the aggregate's stream type name
     * @param eventType the event's class name (or stored type name)
     */
    public UnknownEventException(String aggregate, String eventType) {
        super("aggregate " + aggregate + " has no @Apply method for event type " + eventType);
        this.aggregate = aggregate;
        this.eventType = eventType;
    }

    /** The aggregate's stream type name. */
    public String aggregate() {
        return aggregate;
    }

    /** The event's class name or stored type name. */
    public String eventType() {
        return eventType;
    }
}
