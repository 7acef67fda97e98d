package dev.eventsource.internal.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.StreamOptions;
import dev.eventsource.internal.projection.Runs.Flaky;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.Lease;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.PartitionLeases;
import dev.eventsource.store.TransactionalCheckpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void aProjectionWithoutCheckpointsRecordsItsLayoutWithoutDeletingAndAPartialOneWithTheHighestMatches() {
        List<String> calls = new ArrayList<>();
        InMemoryStore watched = new InMemoryStore() {
            @Override
            public void deleteCheckpoints(String projection) {
                calls.add("delete");
                super.deleteCheckpoints(projection);
            }
        };
        assertThat(Partitions.startPositions(watched, "p", 3)).containsExactly(0, 0, 0);
        assertThat(calls).as("nothing to delete: over a store with leases a delete would revoke them all").isEmpty();

        InMemoryStore partial = new InMemoryStore();          // another instance records the layout, highest first
        partial.saveCheckpoint("p", 2, 0);
        partial.saveCheckpoint("p", 1, 7);
        assertThat(Partitions.startPositions(partial, "p", 3)).containsExactly(0, 7, 0);
        assertThat(partial.loadCheckpoints("p")).isEqualTo(Map.of(1, 7L, 2, 0L));
    }

    /** Fenced calls, recorded; refuses those of partition 1 as a lost lease. */
    private static final class Leases implements PartitionLeases {
        final List<String> calls = new ArrayList<>();

        @Override
        public Membership heartbeat(String projection, int partitions, String instanceId, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Lease> claim(String projection, int partitions, String instanceId, int max, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void release(Lease lease) {
        }

        @Override
        public void leave(String projection, String instanceId) {
        }

        @Override
        public void saveCheckpoint(Lease lease, long position) {
            calls.add("save " + lease.partition() + "@" + lease.epoch() + " " + position);
            if (lease.partition() == 1) {
                throw new LeaseLostException(lease, "checkpoint " + position);
            }
        }

        @Override
        public void inTransaction(Lease lease, long position, TransactionalCheckpoints.TransactionWork work) {
            calls.add("commit " + lease.partition() + "@" + lease.epoch() + " " + position);
        }

        @Override
        public void markStopped(Lease lease, String failure) {
            calls.add("stopped " + lease.partition() + ": " + failure);
        }

        @Override
        public List<Lease> leases(String projection) {
            return List.of();
        }
    }

    @Test
    void anOwnedPartitionWritesThroughItsLeaseAndAnotherTakesNoEvents() {
        Leases leases = new Leases();
        Lease[] owned = new Lease[3];
        owned[0] = new Lease("flaky", 0, "me", 4, null, null);
        owned[1] = new Lease("flaky", 1, "me", 5, null, null);
        store.saveCheckpoint("flaky", 0, 6);
        store.saveCheckpoint("flaky", 1, 3);
        store.saveCheckpoint("flaky", 2, 1);
        int[] lost = {0};
        Partitions partitions = Partitions.load(Runs.run(new Flaky(0), StreamOptions.named("counters").partitions(3), store,
                new AtomicBoolean()), Ownership.leased(leases, owned, null, () -> lost[0]++));

        assertThat(partitions.lowest()).as("the lowest owned checkpoint").isEqualTo(3);
        assertThat(partitions.worker(2)).isNull();
        assertThat(partitions.accepting(2, 9)).isNull();
        assertThat(partitions.accepting(0, 9)).isNotNull();
        partitions.saveCheckpoint(0, 12);
        partitions.saveLastCheckpoint(1, 8, 3);              // refused: logged, not thrown
        partitions.commit(0, 14, tx -> { });
        partitions.markStopped(0, "stopped at ...");
        assertThatThrownBy(() -> partitions.saveCheckpoint(1, 9)).as("thrown at once, never retried")
                .isInstanceOf(LeaseLostException.class).hasMessageContaining("epoch 5");
        partitions.lost(1);

        assertThat(leases.calls).containsExactly("save 0@4 12", "save 1@5 8", "commit 0@4 14", "stopped 0: stopped at ...",
                "save 1@5 9");
        assertThat(store.loadCheckpoints("flaky")).as("nothing written around the leases").isEqualTo(Map.of(0, 6L, 1, 3L, 2, 1L));
        assertThat(lost[0]).isEqualTo(1);
    }

    @Test
    void aPartitionCarriedOnResumesFromItsOwnProgressAndStaysStopped() {
        store.saveCheckpoint("flaky", 0, 4);
        store.saveCheckpoint("flaky", 1, 4);
        Lease[] owned = {new Lease("flaky", 0, "me", 1, null, null), new Lease("flaky", 1, "me", 1, null, null)};
        Ownership.Resume[] resume = {new Ownership.Resume(9, null), new Ownership.Resume(2, "stopped at X")};
        Partitions partitions = Partitions.load(Runs.run(new Flaky(0), StreamOptions.named("counters").partitions(2), store,
                new AtomicBoolean()), Ownership.leased(new Leases(), owned, resume, () -> { }));

        assertThat(partitions.worker(0).progress()).as("ahead of the checkpoint its last save left").isEqualTo(9);
        assertThat(partitions.accepting(0, 9)).isNull();
        assertThat(partitions.worker(1).progress()).as("the checkpoint is ahead of what it carried").isEqualTo(4);
        assertThat(partitions.worker(1).stopped()).isTrue();
        assertThat(partitions.accepting(1, 5)).isNull();
        assertThat(partitions.failed()).isTrue();
    }
}
