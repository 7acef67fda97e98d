package dev.eventsource.internal.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.Lease;
import dev.eventsource.store.PartitionLeases.Membership;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RebalanceTest {

    private static final Instant UNTIL = Instant.parse("2026-12-01T12:00:10Z");

    private static Lease lease(int partition, long epoch) {
        return new Lease("p", partition, "me", epoch, UNTIL, null);
    }

    /** Owned leases at epoch 1 for {@code partitions}, by partition out of {@code n}. */
    private static Lease[] owned(int n, int... partitions) {
        Lease[] owned = new Lease[n];
        for (int p : partitions) {
            owned[p] = lease(p, 1);
        }
        return owned;
    }

    private static Membership held(int instances, Lease[] owned) {
        List<Lease> held = new ArrayList<>();
        for (Lease l : owned) {
            if (l != null) {
                held.add(l);
            }
        }
        return new Membership(instances, held);
    }

    @Test
    void aloneAnInstanceClaimsEveryPartition() {
        Rebalance plan = Rebalance.plan(8, new Membership(1, List.of()), new Lease[8], new boolean[8]);

        assertThat(plan.share()).isEqualTo(8);
        assertThat(plan.claim()).isEqualTo(8);
        assertThat(plan.changes()).isFalse();
    }

    @Test
    void aJoiningInstanceMakesTheOwnerHandOverItsHighestPartitions() {
        Lease[] owned = owned(8, 0, 1, 2, 3, 4, 5, 6, 7);

        Rebalance plan = Rebalance.plan(8, held(2, owned), owned, new boolean[8]);

        assertThat(plan.share()).isEqualTo(4);
        assertThat(plan.extras()).containsExactly(7, 6, 5, 4);
        assertThat(plan.claim()).isZero();
        assertThat(plan.lost()).isEmpty();
        assertThat(plan.changes()).isTrue();
    }

    @Test
    void theShareIsTheCeilingSoThreeInstancesOnEightHoldThreeThreeAndTwo() {
        Lease[] four = owned(8, 0, 1, 2, 3);
        Lease[] two = owned(8, 6, 7);

        assertThat(Rebalance.plan(8, held(3, four), four, new boolean[8]).extras()).containsExactly(3);
        assertThat(Rebalance.plan(8, held(3, two), two, new boolean[8]).claim()).isEqualTo(1);
        assertThat(Rebalance.plan(8, held(3, owned(8, 0, 1, 2)), owned(8, 0, 1, 2), new boolean[8]).changes()).isFalse();
    }

    @Test
    void aLeaseNoLongerHeldAtItsEpochIsLostAndOneHeldButNotRunIsForeign() {
        Lease[] owned = owned(4, 0, 1, 2);
        boolean[] reported = new boolean[4];
        reported[2] = true;                          // a worker's fenced write was refused
        // 0 is renewed, 1 is gone (ran out, revoked), 2 is still listed, 3 is held but never claimed by this engine
        Membership membership = new Membership(2, List.of(lease(0, 1), lease(2, 1), lease(3, 4)));

        Rebalance plan = Rebalance.plan(4, membership, owned, reported);

        assertThat(plan.lost()).containsExactly(1, 2);
        assertThat(plan.foreign()).extracting(Lease::partition).containsExactly(2, 3);
        assertThat(plan.claim()).isEqualTo(1);       // share 2, keeps only 0
        assertThat(plan.changes()).isTrue();
    }

    @Test
    void aLeaseReclaimedAtAnotherEpochIsLost() {
        Lease[] owned = owned(2, 0, 1);

        Rebalance plan = Rebalance.plan(2, new Membership(1, List.of(lease(0, 1), lease(1, 2))), owned, new boolean[2]);

        assertThat(plan.lost()).containsExactly(1);
        assertThat(plan.foreign()).extracting(Lease::epoch).containsExactly(2L);
    }
}
