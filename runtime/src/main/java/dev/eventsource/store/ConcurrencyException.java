package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * Another writer appended to the stream since it was read: the expected version no longer matches.
 * Stores throw it from {@code append}; {@link dev.eventsource.Engine#execute} retries the command and throws it only
 * when the retries are used up.
 *
 * <pre>{@code
 * throw new ConcurrencyException("Order", "order_1", 4, 5);
 * // message: concurrent modification of stream Order/order_1: expected version 4, actual version 5
 * }</pre>
 */
public class ConcurrencyException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String streamType;
    private final String streamId;
    private final long expectedVersion;
    private final long actualVersion;

    /**
     * @param streamType the stream (aggregate) type name
     * @param streamId the aggregate id
     * @param expectedVersion the version the writer read
     * @param actualVersion the version found in the store, or {@code -1} if unknown
     */
    public ConcurrencyException(String streamType, String streamId, long expectedVersion, long actualVersion) {
        this(streamType, streamId, expectedVersion, actualVersion, null);
    }

    /** As {@link #ConcurrencyException(String, String, long, long)}, with more detail appended to the message. */
    public ConcurrencyException(String streamType, String streamId, long expectedVersion, long actualVersion, String detail) {
        super("concurrent modification of stream " + streamType + "/" + streamId + ": expected version "
                + expectedVersion + ", actual version " + (actualVersion < 0 ? "unknown" : Long.toString(actualVersion))
                + (detail == null ? "" : " (" + detail + ")"));
        this.streamType = streamType;
        this.streamId = streamId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /** The stream (aggregate) type name. */
    public String streamType() {
        return streamType;
    }

    /** The aggregate id. */
    public String streamId() {
        return streamId;
    }

    /** The version the writer read. */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version found in the store, or {@code -1} if unknown. */
    public long actualVersion() {
        return actualVersion;
    }
}
