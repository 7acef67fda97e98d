package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * An append was refused because the stream already holds an append by the same command id (a
 * resent command): nothing was appended. Stores with the {@link CommandIds} role throw it from
 * {@code append}; {@link dev.eventsource.Engine#execute} turns it into a duplicate result and never
 * shows it to callers.
 *
 * <pre>{@code
 * throw new DuplicateCommandException("Order", "order_1", "request-42", 3);
 * // message: command request-42 was already stored on Order/order_1 (from version 3); nothing appended
 * }</pre>
 */
public class DuplicateCommandException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String streamType;
    private final String streamId;
    private final String commandId;
    private final long version;

    /**
     * @param version the stream version of the first event the earlier append stored, or {@code -1}
     *     if the store does not know it
     */
    public DuplicateCommandException(String streamType, String streamId, String commandId, long version) {
        super("command " + commandId + " was already stored on " + streamType + "/" + streamId
                + (version > 0 ? " (from version " + version + ")" : "") + "; nothing appended");
        this.streamType = streamType;
        this.streamId = streamId;
        this.commandId = commandId;
        this.version = version;
    }

    /** The stream type. */
    public String streamType() {
        return streamType;
    }

    /** The aggregate id. */
    public String streamId() {
        return streamId;
    }

    /** The command id that was stored already. */
    public String commandId() {
        return commandId;
    }

    /** The version of the first event the earlier command stored, or {@code -1} if unknown (or it is twice in this append). */
    public long version() {
        return version;
    }
}
