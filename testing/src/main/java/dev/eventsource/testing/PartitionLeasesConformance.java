package dev.eventsource.testing;

import static dev.eventsource.testing.Fixtures.newProjection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventsource.store.CheckpointStore;
import dev.eventsource.store.Lease;
import dev.eventsource.store.LeaseLostException;
import dev.eventsource.store.PartitionLeases;
import dev.eventsource.store.TransactionalCheckpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the optional {@link PartitionLeases} role, seen with the store's
 * {@link CheckpointStore}: claims take free or run-out partitions lowest first at the next epoch;
 * heartbeats renew the instance's leases and count the live instances; release, leave and expiry
 * free partitions; a fenced write commits only while its lease is held at its epoch, and a former
 * owner's is refused with {@link LeaseLostException}; deleting checkpoints revokes every lease. The
 * checks of fenced transactions and of resets run on a store that is also
 * {@link TransactionalCheckpoints}, and are reported as skipped, with the reason, on one that is not.
 * Leases run out by the store's clock: the expiry checks use leases of 400 ms and wait 700 ms.
 *
 * <pre>{@code
 * import org.postgresql.ds.PGSimpleDataSource;
 *
 * class PostgresLeasesTest extends PartitionLeasesConformance<PostgresStore> {
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
public abstract class PartitionLeasesConformance<S extends PartitionLeases & CheckpointStore> extends RoleConformance<S> {

    /** A lease that never runs out during a check. */
    private static final Duration LONG = Duration.ofSeconds(30);
    /** A lease that runs out during a check, {@link #sleepPastShort} later. */
    private static final Duration SHORT = Duration.ofMillis(400);

    private static void sleepPastShort() throws InterruptedException {
        Thread.sleep(SHORT.toMillis() + 300);
    }

    @Test
    void claimTakesFreePartitionsLowestFirstAtTheNextEpochUpToMax() {
        String projection = newProjection();

        List<Lease> a = store.claim(projection, 4, "a", 2, LONG);
        assertThat(a).extracting(Lease::partition, Lease::owner, Lease::epoch).containsExactly(tuple(0, "a", 1L), tuple(1, "a", 1L));
        assertThat(a).allSatisfy(lease -> {
            assertThat(lease.projection()).isEqualTo(projection);
            assertThat(lease.expiresAt()).isNotNull();
            assertThat(lease.failure()).isNull();
            assertThat(lease.heldBy("a")).isTrue();
        });
        assertThat(store.claim(projection, 4, "b", 5, LONG)).extracting(Lease::partition, Lease::owner, Lease::epoch)
                .containsExactly(tuple(2, "b", 1L), tuple(3, "b", 1L));
        assertThat(store.claim(projection, 4, "c", 1, LONG)).as("none is free").isEmpty();
        assertThat(store.claim(projection, 6, "c", 0, LONG)).as("max 0").isEmpty();

        assertThat(store.leases(projection)).extracting(Lease::partition, Lease::owner)
                .startsWith(tuple(0, "a"), tuple(1, "a"), tuple(2, "b"), tuple(3, "b"));
    }

    @Test
    void heartbeatCountsTheLiveInstancesAndRenewsTheLeasesTheInstanceHoldsBelowThePartitionCount() throws Exception {
        String projection = newProjection();
        PartitionLeases.Membership first = store.heartbeat(projection, 4, "a", LONG);
        assertThat(first.instances()).isEqualTo(1);
        assertThat(first.held()).isEmpty();
        assertThat(store.heartbeat(projection, 4, "b", LONG).instances()).isEqualTo(2);
        List<Lease> claimed = store.claim(projection, 4, "a", 4, LONG);
        Thread.sleep(10);

        PartitionLeases.Membership renewed = store.heartbeat(projection, 4, "a", LONG);

        assertThat(renewed.instances()).isEqualTo(2);
        assertThat(renewed.held()).extracting(Lease::partition, Lease::owner, Lease::epoch)
                .containsExactly(tuple(0, "a", 1L), tuple(1, "a", 1L), tuple(2, "a", 1L), tuple(3, "a", 1L));
        for (int i = 0; i < 4; i++) {
            assertThat(renewed.held().get(i).expiresAt()).as("partition %s renewed", i).isAfter(claimed.get(i).expiresAt());
        }
        assertThat(store.heartbeat(projection, 2, "a", LONG).held()).as("only partitions below the count")
                .extracting(Lease::partition).containsExactly(0, 1);
        assertThat(store.heartbeat(projection, 4, "b", LONG).held()).isEmpty();
    }

    @Test
    void aReleasedLeaseIsClaimedAgainAtTheNextEpochAndAStaleOneChangesNothing() {
        String projection = newProjection();
        Lease a0 = store.claim(projection, 2, "a", 1, LONG).get(0);

        store.release(a0);

        assertThat(store.leases(projection)).extracting(Lease::partition, Lease::owner, Lease::epoch, Lease::expiresAt)
                .startsWith(tuple(0, null, 1L, null));
        Lease b0 = store.claim(projection, 2, "b", 1, LONG).get(0);
        assertThat(b0).extracting(Lease::partition, Lease::owner, Lease::epoch).containsExactly(0, "b", 2L);
        store.release(a0);                                       // a's lease is lost: nothing happens
        store.markStopped(a0, "stale");
        assertThat(store.leases(projection).get(0)).extracting(Lease::owner, Lease::epoch, Lease::failure)
                .containsExactly("b", 2L, null);
        assertThat(store.heartbeat(projection, 2, "a", LONG).held()).isEmpty();
    }

    @Test
    void leaveReleasesEveryLeaseOfTheInstanceAndEndsItsMembership() {
        String projection = newProjection();
        store.heartbeat(projection, 3, "a", LONG);
        store.heartbeat(projection, 3, "b", LONG);
        store.claim(projection, 3, "a", 2, LONG);
        store.claim(projection, 3, "b", 1, LONG);

        store.leave(projection, "a");

        assertThat(store.leases(projection)).extracting(Lease::partition, Lease::owner)
                .containsExactly(tuple(0, null), tuple(1, null), tuple(2, "b"));
        assertThat(store.heartbeat(projection, 3, "b", LONG).instances()).isEqualTo(1);
        assertThat(store.claim(projection, 3, "b", 3, LONG)).extracting(Lease::partition, Lease::epoch)
                .containsExactly(tuple(0, 2L), tuple(1, 2L));
    }

    @Test
    void aLeaseThatRanOutIsClaimedByAnotherInstanceAndItsFormerOwnerCanNoLongerSaveCheckpoints() throws Exception {
        String projection = newProjection();
        store.heartbeat(projection, 1, "a", SHORT);
        Lease a0 = store.claim(projection, 1, "a", 1, SHORT).get(0);
        store.saveCheckpoint(a0, 10);
        assertThat(store.heartbeat(projection, 1, "b", LONG).instances()).isEqualTo(2);
        sleepPastShort();                                        // a pauses: its lease and membership run out

        assertThat(store.heartbeat(projection, 1, "b", LONG).instances()).isEqualTo(1);
        Lease b0 = store.claim(projection, 1, "b", 1, LONG).get(0);
        assertThat(b0).extracting(Lease::partition, Lease::owner, Lease::epoch).containsExactly(0, "b", 2L);

        assertLost(() -> store.saveCheckpoint(a0, 20), projection).hasMessageContaining("checkpoint 20");
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(0, 10L));
        assertThat(store.heartbeat(projection, 1, "a", SHORT).held()).as("a resumes and renews nothing").isEmpty();
        store.saveCheckpoint(b0, 20);
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(0, 20L));
    }

    @Test
    void aLeaseThatRanOutButWasNotClaimedStillTakesItsOwnersCheckpointsAndIsRenewed() throws Exception {
        String projection = newProjection();
        Lease a0 = store.claim(projection, 1, "a", 1, SHORT).get(0);
        sleepPastShort();

        store.saveCheckpoint(a0, 5);                             // the epoch is the fence, not the clock

        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(0, 5L));
        assertThat(store.heartbeat(projection, 1, "a", LONG).held()).extracting(Lease::partition, Lease::epoch)
                .containsExactly(tuple(0, 1L));
        assertThat(store.claim(projection, 1, "b", 1, LONG)).as("renewed: not free").isEmpty();
    }

    @Test
    void fencedCheckpointsAreSavedWhileTheLeaseIsHeldAndNeverLowered() {
        String projection = newProjection();
        List<Lease> leases = store.claim(projection, 2, "a", 2, LONG);

        store.saveCheckpoint(leases.get(0), 15);
        store.saveCheckpoint(leases.get(0), 10);
        store.saveCheckpoint(leases.get(1), 0);

        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 15L, 1, 0L));
        store.saveCheckpoint(leases.get(0), 16);
        assertThat(store.loadCheckpoints(projection)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 16L, 1, 0L));
    }

    @Test
    void deletingCheckpointsRevokesEveryLeaseOfTheProjectionOnly() {
        String projection = newProjection();
        String other = projection + "-other";
        List<Lease> a = store.claim(projection, 2, "a", 2, LONG);
        store.saveCheckpoint(a.get(0), 7);
        store.claim(other, 1, "a", 1, LONG);

        store.deleteCheckpoints(projection);

        assertThat(store.leases(projection)).extracting(Lease::partition, Lease::owner, Lease::epoch, Lease::expiresAt)
                .containsExactly(tuple(0, null, 2L, null), tuple(1, null, 2L, null));
        assertLost(() -> store.saveCheckpoint(a.get(0), 8), projection);
        assertThat(store.loadCheckpoints(projection)).isEmpty();
        assertThat(store.heartbeat(projection, 2, "a", LONG).held()).isEmpty();
        assertThat(store.claim(projection, 2, "b", 2, LONG)).extracting(Lease::partition, Lease::epoch)
                .containsExactly(tuple(0, 3L), tuple(1, 3L));
        assertThat(store.leases(other)).extracting(Lease::owner, Lease::epoch).containsExactly(tuple("a", 1L));
    }

    @Test
    void markStoppedShowsWhyToEveryInstanceUntilTheNextClaim() {
        String projection = newProjection();
        Lease a0 = store.claim(projection, 1, "a", 1, LONG).get(0);

        store.markStopped(a0, "poison event at 42");

        assertThat(store.leases(projection)).extracting(Lease::owner, Lease::failure).containsExactly(tuple("a", "poison event at 42"));
        assertThat(store.heartbeat(projection, 1, "a", LONG).held()).extracting(Lease::failure).containsExactly("poison event at 42");
        store.markStopped(a0, null);
        assertThat(store.leases(projection)).extracting(Lease::failure).containsExactly((String) null);
        store.markStopped(a0, "again");
        store.release(a0);
        assertThat(store.claim(projection, 1, "b", 1, LONG)).extracting(Lease::owner, Lease::failure).containsExactly(tuple("b", null));
    }

    @Test
    void aFencedTransactionRunsTheWorkAndSavesTheCheckpointWhileTheLeaseIsHeld() {
        TransactionalCheckpoints transactions = transactions();
        String projection = newProjection();
        Lease a0 = store.claim(projection, 1, "a", 1, LONG).get(0);
        List<Object> handles = new ArrayList<>();

        store.inTransaction(a0, 12, handles::add);
        store.inTransaction(a0, 5, handles::add);               // never lowered

        assertThat(handles).hasSize(2).allSatisfy(h -> assertThat(h).isInstanceOf(transactions.transactionType()));
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(0, 12L));
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> store.inTransaction(a0, 13, tx -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(0, 12L));
    }

    @Test
    void aFencedTransactionOfALostLeaseRunsNoWorkAndSavesNothing() throws Exception {
        transactions();
        String projection = newProjection();
        Lease a0 = store.claim(projection, 1, "a", 1, SHORT).get(0);
        sleepPastShort();
        store.claim(projection, 1, "b", 1, LONG);
        List<Object> handles = new ArrayList<>();

        assertLost(() -> store.inTransaction(a0, 9, handles::add), projection).hasMessageContaining("checkpoint 9");

        assertThat(handles).as("work run").isEmpty();
        assertThat(store.loadCheckpoints(projection)).isEmpty();
    }

    @Test
    void aClaimDoesNotTakeAPartitionWhoseFencedTransactionIsInFlight() throws Exception {
        transactions();
        String projection = newProjection();
        Lease a0 = store.claim(projection, 1, "a", 1, SHORT).get(0);
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = threads.submit(() -> {
                store.inTransaction(a0, 30, tx -> {
                    working.countDown();
                    assertThat(finish.await(10, TimeUnit.SECONDS)).as("finish").isTrue();
                });
                return null;
            });
            assertThat(working.await(10, TimeUnit.SECONDS)).as("a's work started").isTrue();
            sleepPastShort();                                    // a's lease runs out while its transaction runs

            Future<List<Lease>> claim = threads.submit(() -> store.claim(projection, 1, "b", 1, LONG));
            List<Lease> during = null;
            try {
                during = claim.get(500, TimeUnit.MILLISECONDS);
                assertThat(during).as("claimed while a's fenced transaction was in flight").isEmpty();
            } catch (TimeoutException waiting) {
                // the store makes the claim wait for the transaction instead of skipping the partition: allowed
            }
            finish.countDown();
            a.get(10, TimeUnit.SECONDS);                         // a held the partition throughout: it commits

            List<Lease> after = during == null ? claim.get(10, TimeUnit.SECONDS) : store.claim(projection, 1, "b", 1, LONG);
            assertThat(after).extracting(Lease::partition, Lease::owner, Lease::epoch).containsExactly(tuple(0, "b", 2L));
            assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(0, 30L));
        } finally {
            finish.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void resettingInATransactionRevokesEveryLeaseOfTheProjectionAndAFailedResetNone() {
        TransactionalCheckpoints transactions = transactions();
        String projection = newProjection();
        List<Lease> a = store.claim(projection, 2, "a", 2, LONG);
        store.inTransaction(a.get(0), 4, tx -> { });
        Exception refused = new Exception("truncate refused");
        assertThatThrownBy(() -> transactions.resetInTransaction(projection, tx -> {
            throw refused;
        })).cause().isSameAs(refused);
        assertThat(store.leases(projection)).extracting(Lease::owner, Lease::epoch).containsExactly(tuple("a", 1L), tuple("a", 1L));
        List<Object> handles = new ArrayList<>();

        transactions.resetInTransaction(projection, handles::add);

        assertThat(store.leases(projection)).extracting(Lease::partition, Lease::owner, Lease::epoch)
                .containsExactly(tuple(0, null, 2L), tuple(1, null, 2L));
        assertLost(() -> store.inTransaction(a.get(1), 1, handles::add), projection);
        assertThat(handles).as("only the reset's work ran").hasSize(1);
        assertThat(store.loadCheckpoints(projection)).isEmpty();
        Lease b0 = store.claim(projection, 2, "b", 2, LONG).get(0);
        assertThat(b0.epoch()).isEqualTo(3);
        store.inTransaction(b0, 2, handles::add);
        assertThat(store.loadCheckpoints(projection)).containsExactlyEntriesOf(Map.of(0, 2L));
    }

    /** The store as {@link TransactionalCheckpoints}; aborts the check, saying why, if it is not one. */
    private TransactionalCheckpoints transactions() {
        if (store instanceof TransactionalCheckpoints transactions) {
            return transactions;
        }
        return Assumptions.abort(store.getClass().getName() + " does not implement TransactionalCheckpoints: this check of"
                + " fenced transactions in PartitionLeasesConformance is skipped");
    }

    /** Asserts that {@code write} is refused with a {@link LeaseLostException} for partition 0 or 1 of {@code projection}. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertLost(Runnable write, String projection) {
        return assertThatThrownBy(write::run).isInstanceOfSatisfying(LeaseLostException.class, lost -> {
            assertThat(lost.projection()).isEqualTo(projection);
            assertThat(lost.partition()).isBetween(0, 1);
            assertThat(lost.epoch()).isEqualTo(1);
        }).hasMessageContaining("no longer holds the partition at epoch 1");
    }
}
