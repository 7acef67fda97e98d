package dev.eventsource.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.CheckpointStore;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the {@link CheckpointStore} role: checkpoints per projection and partition,
 * raised, never lowered by a save (a lower save after a higher one keeps the higher), lowered only
 * by deleting them.
 *
 * <pre>{@code
 * class InMemoryCheckpointsTest extends CheckpointStoreConformance<InMemoryStore> {
 *     @Override protected InMemoryStore createStore() { return new InMemoryStore(); }
 * }
 * }</pre>
 *
 * @param <S> the type of the store under test
 */
public abstract class CheckpointStoreConformance<S extends CheckpointStore> extends RoleConformance<S> {

    @Test
    void checkpointsAreSavedPerPartitionOverwrittenAndDeleted() {
        String projection = "p-" + UUID.randomUUID();
        String other = projection + "-other";
        assertThat(store.loadCheckpoints(projection)).isEmpty();

        store.saveCheckpoint(projection, 0, 10);
        store.saveCheckpoint(projection, 3, 7);
        store.saveCheckpoint(projection, 0, 15);
        store.saveCheckpoint(other, 0, 99);

        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 15L, 3, 7L));
        store.deleteCheckpoints(projection);
        assertThat(store.loadCheckpoints(projection)).isEmpty();
        assertThat(store.loadCheckpoints(other)).containsExactlyEntriesOf(Map.of(0, 99L));
        store.saveCheckpoint(projection, 1, 0);
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(1, 0L));
    }

    @Test
    void aLowerCheckpointSavedAfterAHigherOneLeavesTheHigher() {
        String projection = "p-" + UUID.randomUUID();
        store.saveCheckpoint(projection, 0, 15);
        store.saveCheckpoint(projection, 1, 4);

        store.saveCheckpoint(projection, 0, 10);                 // a slower engine on the same projection
        store.saveCheckpoint(projection, 0, 15);
        store.saveCheckpoint(projection, 1, 0);
        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 15L, 1, 4L));

        store.saveCheckpoint(projection, 0, 16);
        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 16L, 1, 4L));
    }

    @Test
    void onlyDeletingLowersACheckpoint() {
        String projection = "p-" + UUID.randomUUID();
        store.saveCheckpoint(projection, 0, 15);
        store.saveCheckpoint(projection, 1, 20);

        store.deleteCheckpoints(projection);
        store.saveCheckpoint(projection, 0, 3);
        store.saveCheckpoint(projection, 1, 0);

        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 3L, 1, 0L));
    }
}
