package dev.eventsource.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every role suite shares: a fresh store under test before each check, released after it.
 * Extend a role suite (or {@link StoreConformance} for all of them), not this class.
 *
 * <pre>{@code
 * class InMemoryCheckpointsTest extends CheckpointStoreConformance<InMemoryStore> {
 *     @Override protected InMemoryStore createStore() { return new InMemoryStore(); }
 *     @Override protected void releaseStore(InMemoryStore store) { store.close(); }
 * }
 * }</pre>
 *
 * <p>The checks never assume an empty store: they use fresh stream ids and projection names and
 * compare log positions with the head before the check, so a store backed by a shared database can
 * reuse it between checks.
 *
 * @param <S> the type of the store under test
 */
public abstract class RoleConformance<S> {

    /** The store under test, made by {@link #createStore()} before each check. */
    protected S store;

    /** Creates the store under test; called before every check. */
    protected abstract S createStore();

    /** Releases the store after every check; closes it by default if it is {@link AutoCloseable}. */
    protected void releaseStore(S store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
    }

    @AfterEach
    void releaseStoreUnderTest() throws Exception {
        if (store != null) {
            releaseStore(store);
        }
    }
}
