package dev.eventsource.internal.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.StreamOptions;
import dev.eventsource.internal.projection.Runs.Flaky;
import dev.eventsource.store.InMemoryStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PartitionsTest {

    private final InMemoryStore store = new InMemoryStore();

    private void saved(long... checkpoints) {
        for (int i = 0; i < checkpoints.length; i++) {
            store.saveCheckpoint("p", i, checkpoints[i]);
        }
    }

    @Test
    void matchingCheckpointsAreWhereEachPartitionResumes() {
        saved(5, 9, 7);

        assertThat(Partitions.startPositions(store, "p", 3)).containsExactly(5, 9, 7);
        assertThat(store.loadCheckpoints("p")).isEqualTo(Map.of(0, 5L, 1, 9L, 2, 7L));
    }

    @Test
    void withoutCheckpointsEveryPartitionStartsAtZeroAndTheLayoutIsRecorded() {
        assertThat(Partitions.startPositions(store, "p", 3)).containsExactly(0, 0, 0);
        assertThat(store.loadCheckpoints("p")).isEqualTo(Map.of(0, 0L, 1, 0L, 2, 0L));
    }

    @Test
    void aChangedPartitionCountResumesEveryPartitionFromTheLowestCheckpoint() {
        saved(6, 5, 7, 8);

        assertThat(Partitions.startPositions(store, "p", 2)).containsExactly(5, 5);
        assertThat(store.loadCheckpoints("p")).isEqualTo(Map.of(0, 5L, 1, 5L));   // lowered, and partitions 2, 3 gone
    }

    @Test
    void checkpointsOfOtherPartitionNumbersDoNotMatchEvenWhenAsMany() {
        store.saveCheckpoint("p", 0, 9);
        store.saveCheckpoint("p", 4, 3);

        assertThat(Partitions.startPositions(store, "p", 2)).containsExactly(3, 3);
        assertThat(store.loadCheckpoints("p")).isEqualTo(Map.of(0, 3L, 1, 3L));
    }

    @Test
    void thePartitionsResumeFromTheirCheckpointsAndTakeOnlyLaterEvents() {
        store.saveCheckpoint("flaky", 0, 5);
        store.saveCheckpoint("flaky", 1, 2);
        Partitions partitions = Partitions.load(Runs.run(new Flaky(0), StreamOptions.named("counters").partitions(2), store,
                new AtomicBoolean()));

        assertThat(partitions.count()).isEqualTo(2);
        assertThat(partitions.lowest()).isEqualTo(2);
        assertThat(partitions.progress()).isEqualTo(2);
        assertThat(partitions.failed()).isFalse();
        assertThat(partitions.accepting(0, 5)).isNull();
        assertThat(partitions.accepting(0, 6)).isNotNull();
        assertThat(partitions.accepting(1, 3)).isNotNull();
        assertThat(partitions.status(0, null).position()).isEqualTo(5);
        assertThat(partitions.status(1, "reader failed").failure()).isEqualTo("reader failed");
    }

    @Test
    void checkpointSavesGoToThePartitionsCheckpoint() {
        Partitions partitions = Partitions.load(Runs.run(new Flaky(0), StreamOptions.named("counters").partitions(2), store,
                new AtomicBoolean()));

        partitions.saveCheckpoint(1, 12);
        partitions.saveLastCheckpoint(0, 4, 0);

        assertThat(store.loadCheckpoints("flaky")).isEqualTo(Map.of(0, 4L, 1, 12L));
        assertThat(partitions.checkpoint(1)).isEqualTo(12);
    }
}
