package dev.eventsource;

/**
 * A stored event (or snapshot) could not be turned back into its Java type: the payload is not
 * valid for the event type, or no registered aggregate or projection knows the type. Names the
 * stream, version, global position and event type.
 *
 * <pre>{@code
 * try {
 *     engine.load(Order.class, "order_1");
 * } catch (EventDecodingException e) {
 *     log.error("corrupt event {} at {}", e.eventType(), e.globalPosition(), e);
 * }
 * // message: cannot decode event Order/order_1@3 (position 42, event type OrderCreated): OrderCreated.amount: ...
 * }</pre>
 */
public class EventDecodingException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String streamType;
    private final String streamId;
    private final long version;
    private final long globalPosition;
    private final String eventType;

    /**
     * @param streamType the event's stream type
     * @param streamId the event's stream id
     * @param version the event's version in its stream
     * @param globalPosition the event's position in the global log
     * @param eventType the stored event type name
     * @param problem what is wrong
     * @param cause the codec's exception, or {@code null}
     */
    public EventDecodingException(String streamType, String streamId, long version, long globalPosition,
            String eventType, String problem, Throwable cause) {
        super("cannot decode event " + streamType + "/" + streamId + "@" + version + " (position " + globalPosition
                + ", event type " + eventType + "): " + problem, cause);
        this.streamType = streamType;
        this.streamId = streamId;
        this.version = version;
        this.globalPosition = globalPosition;
        this.eventType = eventType;
    }

    /** The event's stream type. */
    public String streamType() {
        return streamType;
    }

    /** The event's stream id. */
    public String streamId() {
        return streamId;
    }

    /** The event's version in its stream. */
    public long version() {
        return version;
    }

    /** The event's position in the global log. */
    public long globalPosition() {
        return globalPosition;
    }

    /** The stored event type name. */
    public String eventType() {
        return eventType;
    }
}
