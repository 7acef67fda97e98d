package dev.eventsource.testing;

import dev.eventsource.store.CheckpointStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.TransactionalCheckpoints;
import java.util.Map;

/**
 * One role suite used on its own, on a store of two roles: the transactional checks hold for any
 * store that keeps the contract, not only for PostgreSQL.
 */
class FakeTransactionsTest extends TransactionalCheckpointsConformance<FakeTransactionsTest.FakeTransactions> {

    /** The fake database's transaction handle. */
    static final class FakeTx {
    }

    /** Checkpoints in memory, changed by a transaction only when its work returns normally. */
    static final class FakeTransactions implements TransactionalCheckpoints, CheckpointStore {
        private final InMemoryStore checkpoints = new InMemoryStore();

        @Override
        public Class<?> transactionType() {
            return FakeTx.class;
        }

        @Override
        public synchronized void inTransaction(String projection, int partition, long position, TransactionWork work) {
            run(projection, work);
            checkpoints.saveCheckpoint(projection, partition, position);
        }

        @Override
        public synchronized void resetInTransaction(String projection, TransactionWork work) {
            run(projection, work);
            checkpoints.deleteCheckpoints(projection);
        }

        private static void run(String projection, TransactionWork work) {
            try {
                work.run(new FakeTx());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StoreException("the work of projection " + projection + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public Map<Integer, Long> loadCheckpoints(String projection) {
            return checkpoints.loadCheckpoints(projection);
        }

        @Override
        public void saveCheckpoint(String projection, int partition, long position) {
            checkpoints.saveCheckpoint(projection, partition, position);
        }

        @Override
        public void deleteCheckpoints(String projection) {
            checkpoints.deleteCheckpoints(projection);
        }
    }

    @Override
    protected FakeTransactions createStore() {
        return new FakeTransactions();
    }
}
