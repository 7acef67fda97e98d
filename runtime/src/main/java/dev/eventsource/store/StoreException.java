package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * The store failed (I/O, database, corrupt data). The message names the stream, version or
 * position concerned.
 *
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *     // append with c
 * } catch (SQLException e) {
 *     throw new StoreException("cannot append to Order/order_1 at version 4", e);
 * }
 * }</pre>
 */
public class StoreException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message that names what was being done. */
    public StoreException(String message) {
        super(message);
    }

    /** As {@link #StoreException(String)}, with the underlying cause. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
