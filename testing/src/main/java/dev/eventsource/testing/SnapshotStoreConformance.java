package dev.eventsource.testing;

import static dev.eventsource.testing.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.Snapshot;
import dev.eventsource.store.SnapshotStore;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the {@link SnapshotStore} role: a snapshot is saved and loaded with every field,
 * the newest one per stream is kept (an older one never replaces it), streams are independent.
 *
 * <pre>{@code
 * class InMemorySnapshotsTest extends SnapshotStoreConformance<InMemoryStore> {
 *     @Override protected InMemoryStore createStore() { return new InMemoryStore(); }
 * }
 * }</pre>
 *
 * @param <S> the type of the store under test
 */
public abstract class SnapshotStoreConformance<S extends SnapshotStore> extends RoleConformance<S> {

    private final String type = Fixtures.newType();

    private Snapshot snapshot(String id, long version, String state) {
        return Fixtures.snapshot(type, id, version, state);
    }

    private void assertSnapshot(Snapshot loaded, String id, long version, String state) {
        Fixtures.assertSnapshot(loaded, type, id, version, state);
    }

    @Test
    void snapshotIsSavedAndLoaded() {
        String id = newId();
        assertThat(store.loadSnapshot(type, id)).isEmpty();
        store.saveSnapshot(snapshot(id, 10, "{\"x\":1}"));

        assertSnapshot(store.loadSnapshot(type, id).orElseThrow(), id, 10, "{\"x\":1}");
    }

    @Test
    void newerSnapshotReplacesOlderAndOlderNeverReplacesNewer() {
        String id = newId();
        store.saveSnapshot(snapshot(id, 10, "{\"v\":10}"));
        store.saveSnapshot(snapshot(id, 20, "{\"v\":20}"));
        assertThat(store.loadSnapshot(type, id).orElseThrow().version()).isEqualTo(20);

        store.saveSnapshot(snapshot(id, 15, "{\"v\":15}"));
        assertThat(store.loadSnapshot(type, id).orElseThrow().version()).isEqualTo(20);

        store.saveSnapshot(snapshot(id, 20, "{\"v\":\"again\"}"));
        assertThat(new String(store.loadSnapshot(type, id).orElseThrow().state(), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":\"again\"}");
    }

    @Test
    void snapshotsOfDifferentStreamsAreIndependent() {
        String a = newId();
        String b = newId();
        store.saveSnapshot(snapshot(a, 3, "{}"));
        assertThat(store.loadSnapshot(type, b)).isEmpty();
        assertThat(store.loadSnapshot(type + "Other", a)).isEmpty();
    }
}
