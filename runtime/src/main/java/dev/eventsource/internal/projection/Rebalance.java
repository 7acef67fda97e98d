package dev.eventsource.internal.projection;

import dev.eventsource.store.Lease;
import dev.eventsource.store.PartitionLeases;
import java.util.ArrayList;
import java.util.List;

/**
 * What one instance does with its partitions of a projection after a heartbeat: which of those it
 * runs it has lost, which leases the store says it holds that it does not run (to give up), which of
 * its partitions are over its share (to hand over), and how many more it should claim. The share is
 * {@code ceil(partitions / instances)}, so once every instance has rebalanced none holds more than
 * that and every partition is held. The partitions handed over are the highest ones it keeps, which
 * keeps each instance's set contiguous and the moves few.
 *
 * <p>A pure function of its arguments (immutable result), run on the lease thread.
 *
 * <pre>{@code
 * Rebalance plan = Rebalance.plan(8, leases.heartbeat("orders", 8, id, timeout), owned, lost);
 * List<Lease> claimed = leases.claim("orders", 8, id, plan.claim(), timeout);
 * }</pre>
 *
 * @param lost partitions this instance ran whose lease it no longer holds at the epoch it claimed it at
 *     (it ran out, a rebuild revoked it, or a fenced write was refused)
 * @param foreign leases the store says this instance holds that it does not run at that epoch: left
 *     from a release that failed, an earlier run of an instance with the same id, or a partition that
 *     was just lost; they are released
 * @param extras partitions over the share, highest first: stopped (each finishes and saves its
 *     checkpoint), then released
 * @param claim how many partitions to claim (0 when at or over the share)
 * @param share the most partitions one instance should hold
 */
record Rebalance(List<Integer> lost, List<Lease> foreign, List<Integer> extras, int claim, int share) {

    /**
     * The plan for an instance that runs {@code owned} (by partition, {@code null} where it runs
     * none) after a heartbeat found {@code membership}.
     *
     * @param reportedLost by partition, whether a worker found its lease lost (a refused fenced write)
     */
    static Rebalance plan(int partitions, PartitionLeases.Membership membership, Lease[] owned, boolean[] reportedLost) {
        Lease[] held = new Lease[partitions];
        List<Lease> foreign = new ArrayList<>();
        for (Lease h : membership.held()) {
            if (h.partition() >= 0 && h.partition() < partitions) {
                held[h.partition()] = h;
            }
        }
        List<Integer> lost = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            Lease mine = owned[i];
            Lease h = held[i];
            boolean same = mine != null && h != null && h.epoch() == mine.epoch() && !reportedLost[i];
            if (mine != null && !same) {
                lost.add(i);
            }
            if (h != null && !same) {
                foreign.add(h);
            }
            if (same) {
                kept.add(i);
            }
        }
        int instances = Math.max(1, membership.instances());
        int share = (partitions + instances - 1) / instances;
        List<Integer> extras = new ArrayList<>();
        for (int i = kept.size() - 1; i >= share; i--) {
            extras.add(kept.get(i));
        }
        return new Rebalance(List.copyOf(lost), List.copyOf(foreign), List.copyOf(extras),
                Math.max(0, share - kept.size()), share);
    }

    /** Whether the set of partitions this instance runs changes, before any claim. */
    boolean changes() {
        return !lost.isEmpty() || !extras.isEmpty();
    }
}
