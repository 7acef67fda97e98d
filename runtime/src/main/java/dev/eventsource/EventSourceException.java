package dev.eventsource;

/**
 * Base of the exceptions this library throws on purpose; each subclass carries the context (stream,
 * version, position, event type) as fields.
 *
 * <pre>{@code
 * try { engine.execute(Order.class, "order_1", new CreateOrder("order_1", "c_1", 99.99)); }
 * catch (EventSourceException e) { log.warn("command failed: {}", e.getMessage()); }
 * }</pre>
 */
public class EventSourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message that says what went wrong, naming the thing it concerns. */
    public EventSourceException(String message) {
        super(message);
    }

    /** As {@link #EventSourceException(String)}, with the underlying cause. */
    public EventSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
