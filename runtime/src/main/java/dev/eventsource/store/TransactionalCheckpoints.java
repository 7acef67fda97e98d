package dev.eventsource.store;

/**
 * Optional role of stores with transactions (the PostgreSQL store): runs a projection's work and
 * saves its checkpoint in the same transaction, so a read model kept in the same database is
 * updated exactly once, even across crashes. The engine uses it for
 * {@link dev.eventsource.TransactionalProjection}s when the store implements it.
 *
 * <pre>{@code
 * if (store instanceof TransactionalCheckpoints checkpoints) {   // the PostgreSQL store
 *     checkpoints.inTransaction("order-table", 0, 1_042, tx -> {
 *         Connection c = (Connection) tx;
 *         // update the read model with c; checkpoint 1042 commits with it
 *     });
 * }
 * }</pre>
 */
public interface TransactionalCheckpoints {

    /** The class of the transaction handle passed to the work, e.g. {@code java.sql.Connection}. */
    Class<?> transactionType();

    /**
     * Runs {@code work} in a new transaction and, in the same transaction, saves
     * {@code position} as the checkpoint of {@code projection}'s {@code partition}. Commits if the work
     * returns normally; rolls back and rethrows otherwise (as {@link StoreException} for a checked
     * exception), except that a failure of the work caused by the store's connection breaking under it
     * is thrown as {@link StoreUnavailableException}: the work is not at fault and is run again.
     */
    void inTransaction(String projection, int partition, long position, TransactionWork work);

    /**
     * Runs {@code work} in a new transaction and, in the same transaction, deletes every checkpoint of
     * {@code projection}: a rebuild's reset of the read model and the forgetting of its progress
     * commit together or not at all, so a crash can leave neither an emptied read model with old
     * checkpoints (a gap) nor an old read model replayed from zero (duplicates). Rolls back and
     * rethrows as {@link #inTransaction} does.
     */
    void resetInTransaction(String projection, TransactionWork work);

    /** Work run inside a store transaction. */
    @FunctionalInterface
    interface TransactionWork {

        /** Does the work with the store's transaction handle (a {@code java.sql.Connection} for JDBC stores). */
        void run(Object transaction) throws Exception;
    }
}
