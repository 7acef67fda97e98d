package dev.eventsource.testing;

import static dev.eventsource.testing.Fixtures.newProjection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.store.CheckpointStore;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.TransactionalCheckpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the optional {@link TransactionalCheckpoints} role, seen through the store's
 * {@link CheckpointStore}: the work runs once with a handle of {@code transactionType()}; the
 * checkpoint is saved (never lowered) or, for a reset, every checkpoint of the projection deleted,
 * only if the work returns normally; a failure of the work is rethrown. Whether the work's own
 * writes commit or roll back with the checkpoint depends on the transaction type, so a store tests
 * that itself (as {@code PostgresTransactionalCheckpointsTest} does on a table).
 *
 * <pre>{@code
 * import org.postgresql.ds.PGSimpleDataSource;
 *
 * class PostgresTransactionsTest extends TransactionalCheckpointsConformance<PostgresStore> {
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
public abstract class TransactionalCheckpointsConformance<S extends TransactionalCheckpoints & CheckpointStore>
        extends RoleConformance<S> {

    @Test
    void inTransactionRunsTheWorkOnceWithAHandleOfTheTransactionTypeAndSavesTheCheckpoint() {
        String projection = newProjection();
        store.saveCheckpoint(projection, 0, 5);
        List<Object> handles = new ArrayList<>();

        store.inTransaction(projection, 3, 41, handles::add);

        assertThat(handles).hasSize(1);
        assertThat(handles.get(0)).isInstanceOf(store.transactionType());
        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 5L, 3, 41L));
    }

    @Test
    void aTransactionWithALowerCheckpointRunsTheWorkAndLeavesTheHigherCheckpoint() {
        String projection = newProjection();
        store.saveCheckpoint(projection, 2, 50);
        List<Object> handles = new ArrayList<>();

        store.inTransaction(projection, 2, 30, handles::add);           // a slower engine on the same projection

        assertThat(handles).hasSize(1);
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(2, 50L));
        store.inTransaction(projection, 2, 60, handles::add);
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(2, 60L));
    }

    @Test
    void failingWorkIsRethrownAndLeavesTheCheckpoint() {
        String projection = newProjection();
        store.saveCheckpoint(projection, 0, 7);

        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> store.inTransaction(projection, 0, 8, tx -> {
            throw boom;
        })).isSameAs(boom);
        Exception checked = new Exception("read model broken");
        assertThatThrownBy(() -> store.inTransaction(projection, 0, 8, tx -> {
            throw checked;
        })).isInstanceOf(StoreException.class).isNotInstanceOf(StoreUnavailableException.class)
                .cause().isSameAs(checked);

        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(0, 7L));
    }

    @Test
    void resetInTransactionRunsTheWorkOnceAndDeletesEveryCheckpointOfTheProjectionOnly() {
        String projection = newProjection();
        String other = projection + "-other";
        store.saveCheckpoint(projection, 0, 12);
        store.saveCheckpoint(projection, 1, 15);
        store.saveCheckpoint(other, 0, 3);
        List<Object> handles = new ArrayList<>();

        store.resetInTransaction(projection, handles::add);

        assertThat(handles).hasSize(1);
        assertThat(handles.get(0)).isInstanceOf(store.transactionType());
        assertThat(store.loadCheckpoints(projection)).isEmpty();
        assertThat(store.loadCheckpoints(other)).containsExactlyEntriesOf(Map.of(0, 3L));
        store.inTransaction(projection, 0, 2, handles::add);            // after a reset, a lower position is saved
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(0, 2L));
    }

    @Test
    void failingResetIsRethrownAndKeepsTheCheckpoints() {
        String projection = newProjection();
        store.saveCheckpoint(projection, 0, 12);
        store.saveCheckpoint(projection, 1, 15);

        Exception checked = new Exception("truncate refused");
        assertThatThrownBy(() -> store.resetInTransaction(projection, tx -> {
            throw checked;
        })).isInstanceOf(StoreException.class).isNotInstanceOf(StoreUnavailableException.class)
                .cause().isSameAs(checked);

        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 12L, 1, 15L));
    }
}
