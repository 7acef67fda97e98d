package dev.eventsource.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.eventsource.store.CheckpointStore;
import dev.eventsource.store.InMemoryStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** {@link StoreConformance} runs the suites of the roles a store implements and reports every other check as skipped, saying why. */
class StoreConformanceTest {

    /** A store of one role only. */
    static final class CheckpointsOnly implements CheckpointStore {
        private final InMemoryStore delegate = new InMemoryStore();

        @Override
        public Map<Integer, Long> loadCheckpoints(String projection) {
            return delegate.loadCheckpoints(projection);
        }

        @Override
        public void saveCheckpoint(String projection, int partition, long position) {
            delegate.saveCheckpoint(projection, partition, position);
        }

        @Override
        public void deleteCheckpoints(String projection) {
            delegate.deleteCheckpoints(projection);
        }
    }

    /** Run by the test kit below, not by the build (a nested class is not a test class of its own). */
    static class CheckpointsOnlyConformance extends StoreConformance<CheckpointsOnly> {
        @Override
        protected CheckpointsOnly createStore() {
            return new CheckpointsOnly();
        }
    }

    @Test
    void aStoreRunsTheChecksOfItsRolesAndIsToldWhichOthersAreSkippedAndWhy() {
        Events checks = EngineTestKit.engine("junit-jupiter").selectors(selectClass(CheckpointsOnlyConformance.class))
                .execute().testEvents();

        checks.assertStatistics(s -> s.succeeded(3).failed(0).aborted(18 + 6 + 3 + 3 + 5 + 3 + 8 + 13 + 3));
        List<String> reasons = checks.aborted().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage())
                .distinct().toList();
        String store = CheckpointsOnly.class.getName();
        assertThat(reasons).containsExactlyInAnyOrder(
                store + " does not implement AppendEvents and ReadStream and ReadLog: the 18 checks of EventLogConformance are skipped",
                store + " does not implement AppendEvents and LoadAggregate: the 6 checks of LoadAggregateConformance are skipped",
                store + " does not implement SnapshotStore: the 3 checks of SnapshotStoreConformance are skipped",
                store + " does not implement DeadLetterStore: the 3 checks of DeadLetterStoreConformance are skipped",
                store + " does not implement TransactionalCheckpoints: the 5 checks of TransactionalCheckpointsConformance are skipped",
                store + " does not implement TransactionalDeadLetters and TransactionalCheckpoints and DeadLetterStore: the 3"
                        + " checks of TransactionalDeadLettersConformance are skipped",
                store + " does not implement CommandIds and AppendEvents and ReadStream: the 8 checks of"
                        + " CommandIdsConformance are skipped",
                store + " does not implement PartitionLeases: the 13 checks of PartitionLeasesConformance are skipped",
                store + " does not implement AppendEvents and StoredEventTypes: the 3 checks of StoredEventTypesConformance are skipped");
    }
}
