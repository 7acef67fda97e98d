package dev.eventsource.testing;

import dev.eventsource.store.AppendEvents;
import dev.eventsource.store.CheckpointStore;
import dev.eventsource.store.CommandIds;
import dev.eventsource.store.DeadLetterStore;
import dev.eventsource.store.LoadAggregate;
import dev.eventsource.store.PartitionLeases;
import dev.eventsource.store.ReadLog;
import dev.eventsource.store.ReadStream;
import dev.eventsource.store.SnapshotStore;
import dev.eventsource.store.StoredEventTypes;
import dev.eventsource.store.TransactionalCheckpoints;
import dev.eventsource.store.TransactionalDeadLetters;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The store conformance suite (TCK): a store implementation extends it with a thin subclass that
 * creates the store, and it runs, as {@code @Nested} classes, the suite of every store role:
 * {@link EventLogConformance}, {@link LoadAggregateConformance}, {@link SnapshotStoreConformance},
 * {@link CheckpointStoreConformance}, {@link DeadLetterStoreConformance},
 * {@link TransactionalCheckpointsConformance}, {@link TransactionalDeadLettersConformance},
 * {@link CommandIdsConformance}, {@link PartitionLeasesConformance} and
 * {@link StoredEventTypesConformance}. A role the store does not implement is not run, and
 * never silently: each of its checks is reported as skipped with the reason, for example
 * {@code dev.eventsource.store.InMemoryStore does not implement TransactionalCheckpoints: the 5
 * checks of TransactionalCheckpointsConformance are skipped}.
 *
 * <pre>{@code
 * import org.postgresql.ds.PGSimpleDataSource;
 *
 * class PostgresStoreTest extends StoreConformance<PostgresStore> {
 *     @Override protected PostgresStore createStore() {
 *         PGSimpleDataSource dataSource = new PGSimpleDataSource();
 *         dataSource.setURL("jdbc:postgresql://localhost:5432/test?user=postgres");
 *         return PostgresStore.builder(dataSource).schema("conformance").build();
 *     }
 * }
 * }</pre>
 *
 * <p>What the store implements is decided on the instance {@link #createStore()} returns, before
 * each check, so a decorator that hides a role is checked without it. The subclass may add checks
 * of its own; they see the same {@link #store}.
 *
 * @param <S> the type of the store under test
 */
public abstract class StoreConformance<S> extends RoleConformance<S> {

    /**
     * The enclosing suite's store, as the roles the nested suite needs; aborts the check, saying what
     * is missing and what is skipped, if the store does not implement them all.
     */
    @SuppressWarnings("unchecked")
    private <T> T storeFor(Class<?> suite, Class<?>... roles) {
        S created = store;
        List<String> missing = Arrays.stream(roles).filter(role -> !role.isInstance(created))
                .map(Class::getSimpleName).toList();
        if (!missing.isEmpty()) {
            long checks = Arrays.stream(suite.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).count();
            Assumptions.abort(created.getClass().getName() + " does not implement " + String.join(" and ", missing)
                    + ": the " + (checks == 1 ? "1 check of " + suite.getSimpleName() + " is"
                            : checks + " checks of " + suite.getSimpleName() + " are") + " skipped");
        }
        return (T) created;   // T is only the roles checked above
    }

    // The nested suites share the enclosing suite's store: it creates the store before each check and
    // releases it after, so their own releaseStore does nothing. Their type parameters only name the
    // roles each suite needs, which the store's class may implement without any one interface of them all.

    @Nested
    class EventLogChecks<T extends AppendEvents & ReadStream & ReadLog> extends EventLogConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(EventLogConformance.class, AppendEvents.class, ReadStream.class, ReadLog.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }

    @Nested
    class LoadAggregateChecks<T extends AppendEvents & LoadAggregate> extends LoadAggregateConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(LoadAggregateConformance.class, AppendEvents.class, LoadAggregate.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }

    @Nested
    class SnapshotStoreChecks<T extends SnapshotStore> extends SnapshotStoreConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(SnapshotStoreConformance.class, SnapshotStore.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }

    @Nested
    class CheckpointStoreChecks<T extends CheckpointStore> extends CheckpointStoreConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(CheckpointStoreConformance.class, CheckpointStore.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }

    @Nested
    class DeadLetterStoreChecks<T extends DeadLetterStore> extends DeadLetterStoreConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(DeadLetterStoreConformance.class, DeadLetterStore.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }

    @Nested
    class TransactionalCheckpointsChecks<T extends TransactionalCheckpoints & CheckpointStore>
            extends TransactionalCheckpointsConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(TransactionalCheckpointsConformance.class, TransactionalCheckpoints.class,
                    CheckpointStore.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }

    @Nested
    class TransactionalDeadLettersChecks<T extends TransactionalDeadLetters & TransactionalCheckpoints & DeadLetterStore>
            extends TransactionalDeadLettersConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(TransactionalDeadLettersConformance.class, TransactionalDeadLetters.class,
                    TransactionalCheckpoints.class, DeadLetterStore.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }

    @Nested
    class CommandIdsChecks<T extends CommandIds & AppendEvents & ReadStream> extends CommandIdsConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(CommandIdsConformance.class, CommandIds.class, AppendEvents.class, ReadStream.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }

    @Nested
    class PartitionLeasesChecks<T extends PartitionLeases & CheckpointStore> extends PartitionLeasesConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(PartitionLeasesConformance.class, PartitionLeases.class, CheckpointStore.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }

    @Nested
    class StoredEventTypesChecks<T extends AppendEvents & StoredEventTypes> extends StoredEventTypesConformance<T> {

        @Override
        protected T createStore() {
            return storeFor(StoredEventTypesConformance.class, AppendEvents.class, StoredEventTypes.class);
        }

        @Override
        protected void releaseStore(T store) {
        }
    }
}
