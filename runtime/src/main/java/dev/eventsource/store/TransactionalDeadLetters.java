package dev.eventsource.store;

/**
 * Optional role of stores with transactions (the PostgreSQL store): delete a dead letter inside a
 * transaction the store runs for {@link TransactionalCheckpoints}, so that a retried event's effect
 * on a read model in the same database and the removal of its dead letter commit together or not
 * at all. The engine uses it to retry the dead letters of a
 * {@link dev.eventsource.TransactionalProjection} exactly once; without it, the retry deletes the
 * dead letter after its transaction committed (a crash in between retries the event again).
 *
 * <pre>{@code
 * if (store instanceof TransactionalCheckpoints checkpoints && store instanceof TransactionalDeadLetters deadLetters) {
 *     checkpoints.inTransaction("order-table", 0, 1_042, tx -> {   // the PostgreSQL store
 *         if (deadLetters.deleteDeadLetter(tx, "order-table", 1_040)) {
 *             // handle the event at 1040 again with tx; the dead letter goes only if this commits
 *         }
 *     });
 * }
 * }</pre>
 */
public interface TransactionalDeadLetters {

    /**
     * Deletes {@code projection}'s dead letter at {@code globalPosition} in {@code transaction}, the
     * handle this store passed to a {@link TransactionalCheckpoints.TransactionWork}: it is gone only
     * once that transaction commits. A second transaction deleting the same dead letter waits for the
     * first and then finds none, so at most one of them sees {@code true}.
     *
     * @return whether there was one
     * @throws StoreException if the store fails
     */
    boolean deleteDeadLetter(Object transaction, String projection, long globalPosition);
}
