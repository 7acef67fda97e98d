package dev.eventsource.tests.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.StreamOptions;
import dev.eventsource.TransactionalProjection;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.TransactionalCheckpoints;
import dev.eventsource.tests.bank.BankCommands.Deposit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A transactional projection over a fake in-memory "database" whose transactions also hold checkpoints. */
class BankTransactionalProjectionTest {

    /** The journal entry that empties the ledger table. */
    static final String TRUNCATE = "*truncate*";

    /** A journal of row changes; committed into the database only if the whole transaction succeeds. */
    record Journal(List<Map.Entry<String, Long>> changes) {
        void add(String account, long delta) {
            changes.add(Map.entry(account, delta));
        }
    }

    /** InMemoryStore plus a "database" table and checkpoints written in the same transaction. */
    static class Database extends InMemoryStore implements TransactionalCheckpoints {
        final TreeMap<String, Long> ledger = new TreeMap<>();
        int transactions;

        @Override
        public Class<?> transactionType() {
            return Journal.class;
        }

        @Override
        public synchronized void inTransaction(String projection, int partition, long position, TransactionWork work) {
            commit(work, () -> saveCheckpoint(projection, partition, position));
        }

        @Override
        public synchronized void resetInTransaction(String projection, TransactionWork work) {
            commit(work, () -> deleteCheckpoints(projection));
        }

        /** Runs the work; on success applies its changes and the checkpoint change together. */
        private void commit(TransactionWork work, Runnable checkpoints) {
            Journal journal = new Journal(new ArrayList<>());
            try {
                work.run(journal);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StoreException("rolled back", e);
            }
            for (Map.Entry<String, Long> change : journal.changes()) {
                if (change.getKey().equals(TRUNCATE)) {
                    ledger.clear();
                } else {
                    ledger.merge(change.getKey(), change.getValue(), Long::sum);
                }
            }
            checkpoints.run();
            transactions++;
        }

        synchronized Map<String, Long> ledger() {
            return new TreeMap<>(ledger);
        }
    }

    /** Keeps the ledger of deposits in the database, in the checkpoint's transaction. */
    static final class LedgerTable implements TransactionalProjection<Journal> {
        int crashesLeft;

        @Override
        public void handle(EventEnvelope<?> event, Journal tx) {
            if (event.data() instanceof Deposited d) {
                tx.add(d.accountId(), d.cents());
                if (crashesLeft > 0) {
                    crashesLeft--;
                    throw new IllegalStateException("simulated crash after writing " + d);
                }
            }
        }

        @Override
        public void reset(Journal tx) {
            tx.add(TRUNCATE, 0);
        }

        @Override
        public String name() {
            return "ledger-table";
        }

        @Override
        public Class<Journal> transactionType() {
            return Journal.class;
        }
    }

    private static StreamOptions options() {
        return StreamOptions.named("ledger").partitions(2).backoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(1));
    }

    @Test
    void rolledBackBatchesAreRetriedSoEachDepositCountsExactlyOnceAcrossRestarts() {
        Database db = new Database();
        LedgerTable table = new LedgerTable();
        table.crashesLeft = 2;
        try (Engine engine = new Engine(db)) {
            engine.registerAggregate(BankAccount.class);
            engine.registerProjection(table, options());
            engine.start();
            for (int i = 0; i < 30; i++) {
                engine.execute(BankAccount.class, "acc-" + i % 3, new Deposit("acc-" + i % 3, 10));
            }
            assertThat(engine.awaitProjections(Duration.ofSeconds(20))).isTrue();
        }
        try (Engine restarted = new Engine(db)) {
            restarted.registerAggregate(BankAccount.class);
            restarted.execute(BankAccount.class, "acc-0", new Deposit("acc-0", 5));
            restarted.registerProjection(new LedgerTable(), options());
            restarted.start();
            assertThat(restarted.awaitProjections(Duration.ofSeconds(20))).isTrue();
            assertThat(db.ledger()).containsExactlyEntriesOf(new TreeMap<>(Map.of("acc-0", 105L, "acc-1", 100L, "acc-2", 100L)));

            LedgerTable registered = new LedgerTable();
            try (Engine third = new Engine(db)) {
                third.registerAggregate(BankAccount.class);
                third.registerProjection(registered, options());
                third.start();
                third.rebuildProjection(registered);
                assertThat(db.ledger()).containsEntry("acc-0", 105L).hasSize(3);
            }
        }
        assertThat(db.loadDeadLetters("ledger-table")).isEmpty();
    }

    @Test
    void storeWithoutTransactionsOrWithAnotherTransactionTypeIsRefused() {
        try (Engine plain = new Engine(new InMemoryStore())) {
            assertThatThrownBy(() -> plain.registerProjection(new LedgerTable(), options()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("TransactionalCheckpoints");
        }
        Database db = new Database() {
            @Override
            public Class<?> transactionType() {
                return String.class;
            }
        };
        try (Engine mismatched = new Engine(db)) {
            assertThatThrownBy(() -> mismatched.registerProjection(new LedgerTable(), options()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("java.lang.String");
        }
    }
}
