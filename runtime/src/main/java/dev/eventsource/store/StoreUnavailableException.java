package dev.eventsource.store;

/**
 * The store could not be reached, or lost its connection, while doing the operation: nothing is
 * wrong with the data or with the caller's code, and the operation may succeed when tried again.
 * Thrown by {@link TransactionalCheckpoints#inTransaction} when the transaction's connection broke
 * under the work (a database restart, a network failure), so that the engine retries the work
 * rather than holding the projection responsible for the event.
 *
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     // the projection's work, its checkpoint, c.commit()
 * } catch (SQLException e) {   // and c is broken (a restart, the network): the work is not at fault
 *     throw new StoreUnavailableException("the database connection broke in the transaction of projection seen"
 *             + " partition 0 that saves checkpoint 42", e);
 * }
 * }</pre>
 */
public class StoreUnavailableException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message that names what was being done, and the underlying cause. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
