package dev.eventsource.testing;

import static dev.eventsource.testing.Fixtures.newProjection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.DeadLetterStore;
import dev.eventsource.store.TransactionalCheckpoints;
import dev.eventsource.store.TransactionalDeadLetters;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the optional {@link TransactionalDeadLetters} role, seen through the store's
 * {@link DeadLetterStore}: a dead letter deleted inside a {@link TransactionalCheckpoints}
 * transaction is gone once it commits and back when it rolls back, the delete says whether there
 * was one, and of two transactions deleting the same dead letter only one sees it.
 *
 * <pre>{@code
 * import org.postgresql.ds.PGSimpleDataSource;
 *
 * class PostgresDeadLetterTransactionsTest extends TransactionalDeadLettersConformance<PostgresStore> {
 *     @Override protected PostgresStore createStore() {
 *         PGSimpleDataSource dataSource = new PGSimpleDataSource();
 *         dataSource.setURL("jdbc:postgresql://localhost:5432/test?user=postgres");
 *         return PostgresStore.builder(dataSource).schema("conformance").build();
 *     }
 * }
 * }</pre>
 *
 * @param <S> the type of the store under test
 */
public abstract class TransactionalDeadLettersConformance<
        S extends TransactionalDeadLetters & TransactionalCheckpoints & DeadLetterStore> extends RoleConformance<S> {

    private static DeadLetter deadLetter(String projection, long position) {
        return new DeadLetter(projection, 0, position, "Order", "order-" + position, 1, "OrderCreated", 3, "boom",
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private List<Long> positions(String projection) {
        return store.loadDeadLetters(projection).stream().map(DeadLetter::globalPosition).toList();
    }

    @Test
    void aDeleteInACommittedTransactionRemovesTheDeadLetter() {
        String projection = newProjection();
        store.saveDeadLetter(deadLetter(projection, 10));
        store.saveDeadLetter(deadLetter(projection, 20));
        List<Boolean> deleted = new ArrayList<>();

        store.inTransaction(projection, 0, 20, tx -> deleted.add(store.deleteDeadLetter(tx, projection, 10)));

        assertThat(deleted).containsExactly(true);
        assertThat(positions(projection)).containsExactly(20L);
        store.inTransaction(projection, 0, 20, tx -> deleted.add(store.deleteDeadLetter(tx, projection, 10)));
        assertThat(deleted).as("deleted already").containsExactly(true, false);
    }

    @Test
    void aDeleteInATransactionThatRollsBackKeepsTheDeadLetter() {
        String projection = newProjection();
        store.saveDeadLetter(deadLetter(projection, 10));
        IllegalStateException boom = new IllegalStateException("the read model refused");

        assertThatThrownBy(() -> store.inTransaction(projection, 0, 10, tx -> {
            assertThat(store.deleteDeadLetter(tx, projection, 10)).isTrue();
            throw boom;
        })).isSameAs(boom);

        assertThat(positions(projection)).containsExactly(10L);
    }

    @Test
    void ofTwoTransactionsDeletingOneDeadLetterOnlyOneSeesIt() throws Exception {
        String projection = newProjection();
        store.saveDeadLetter(deadLetter(projection, 10));
        CountDownLatch firstDeleted = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> first = pool.submit(() -> {
                boolean[] seen = new boolean[1];
                store.inTransaction(projection, 0, 10, tx -> {
                    seen[0] = store.deleteDeadLetter(tx, projection, 10);
                    firstDeleted.countDown();
                    Thread.sleep(200);                                  // the second delete waits for this commit
                });
                return seen[0];
            });
            assertThat(firstDeleted.await(10, TimeUnit.SECONDS)).isTrue();
            boolean[] second = new boolean[1];

            store.inTransaction(projection, 0, 10, tx -> second[0] = store.deleteDeadLetter(tx, projection, 10));

            assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(second[0]).isFalse();
            assertThat(positions(projection)).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
